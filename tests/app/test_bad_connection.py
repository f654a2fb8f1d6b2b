"""The network drops during a submission (after the server got it, before the answer came back)
and comes back: the app shows it is waiting, sends again with the same Idempotency-Key, and the
step is applied exactly once."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import func, select

from db.models.repair import RepairWorkflowEvent
from tests.app.technician import Technician
from tests.utils.repair_data import RepairApi, technician, unit_in_repair

TO_CHARGE = [
    ("inputs", {"arrival_date": "2026-11-30"}),
    ("inputs", {"usb_diag_result": "pass", "battery_voltage": 7.2}),
    ("inputs", {"battery_test_result": "pass"}),
]


async def test_a_step_sent_again_after_the_network_came_back_is_applied_once(stack, db, phone):
    unit = unit_in_repair(db)
    user, headers = technician(db)
    api = RepairApi(stack.http, headers)
    repair_id = await api.open(unit.imei)
    for kind, payload in TO_CHARGE:  # the first steps were done earlier, on another phone
        await api.step(repair_id, kind, payload)

    page = await phone.context.new_page()
    tech = Technician(page, phone)
    await tech.log_in(user.username)
    await page.get_by_role("link", name="My repairs", exact=True).click()
    await page.get_by_role("link", name=f"Charge Unit {unit.imei}").click()
    await tech.expect_screen("Charge")

    keys = []
    page.on(
        "request",
        lambda r: keys.append(r.headers.get("idempotency-key")) if r.url.endswith("/send_events") else None,
    )

    async def lose_the_answer(route):
        await route.fetch()  # the server receives the event and applies it...
        await phone.context.set_offline(True)  # ...and the phone loses the network before the answer
        await route.abort("internetdisconnected")

    await page.route("**/send_events", lose_the_answer, times=1)
    await tech.event("Battery Charged")
    status = page.get_by_role("status")
    await expect(status).to_contain_text("No network: waiting to send again")
    await expect(page.get_by_role("button", name="Battery Charged")).to_be_disabled()
    await tech.check_screen("waiting")

    await phone.context.set_offline(False)
    await tech.expect_screen("Clean")
    await expect(status).to_be_hidden()
    await tech.check_screen("back-online")

    # Every attempt carried the same key; the server applied the event once.
    assert len(keys) >= 2 and len(set(keys)) == 1 and keys[0]
    db.expire_all()
    charged = db.scalar(
        select(func.count())
        .select_from(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair_id, RepairWorkflowEvent.event_id == "battery.charged")
    )
    assert charged == 1
    history = (await api.history(repair_id)).json()["data"]
    assert [s["ident"] for s in history][-2:] == ["charge", "clean"]
