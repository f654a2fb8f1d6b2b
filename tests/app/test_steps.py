"""On a phone: the browser's own checks, the server's validation_errors beside their field, undo
(offered only when it works), a unit not in repair, and keyboard-only use."""

from __future__ import annotations

import json

from playwright.async_api import expect
from sqlalchemy import select

from db.models.repair import Repair
from tests.app.technician import Technician
from tests.utils.repair_data import technician, unit_in_repair


def watch_submissions(page) -> list:
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "PUT" and "/v1/repairs/" in r.url else None)
    return sent


async def test_validation_errors_beside_their_field_and_undo(stack, db, phone):
    unit = unit_in_repair(db)
    user, _headers = technician(db)
    page = await phone.context.new_page()
    tech = Technician(page, phone)
    sent = watch_submissions(page)
    await tech.log_in(user.username)
    await tech.open_unit(unit.imei)
    await tech.expect_screen("SMART SOLAR State Check")

    # Nothing to undo on the first screen: no Undo button, and the server's reason instead.
    await expect(page.get_by_role("button", name="Undo the last step")).to_have_count(0)
    await expect(page.locator("[data-undo-refusal]")).to_have_text("There is nothing to undo.")

    # The browser checks first: a required date left empty never reaches the server.
    await tech.send()
    await tech.expect_field_error("arrival_date", "This value is required.")
    await expect(page.get_by_label("Arrival Date", exact=True)).to_be_focused()
    assert sent == []
    await tech.check_screen("required")

    await tech.fill("arrival_date", "2026-11-30")
    await tech.send()
    await tech.expect_screen("USB Diagnostic Test")
    await tech.fill("usb_diag_result", "Passed")
    await tech.fill("battery_voltage", "20")
    await tech.send()
    await tech.expect_field_error("battery_voltage", "Must be at most 15.")
    assert len(sent) == 1

    # Then the server: a value the browser let through (here altered on the way, as an app older
    # than the server's rules would send it) comes back as validation_errors, shown on its field.
    async def off_step(route):
        body = json.loads(route.request.post_data)
        await route.continue_(post_data=json.dumps({**body, "battery_voltage": 7.123}))

    await page.route("**/send_inputs", off_step)
    await tech.fill("battery_voltage", "7.12")
    await tech.send()
    await tech.expect_field_error("battery_voltage", "Must be in steps of 0.01.")
    assert len(sent) == 2
    await tech.check_screen("server-error")
    await page.unroute("**/send_inputs")

    # Undo is offered after a step, and takes the repair back (in the database too).
    await page.get_by_role("button", name="Undo the last step").click()
    await tech.expect_screen("SMART SOLAR State Check")
    await expect(page.locator("[data-undo-refusal]")).to_have_text("There is nothing to undo.")
    db.expire_all()
    assert (
        db.scalar(select(Repair.workflow_state_id).where(Repair.product_imei == unit.imei))
        == "ss_state_check"
    )

    await page.get_by_role("link", name="History").click()
    await expect(page.locator("ol.history li")).to_have_text(["SMART SOLAR State Check"])


async def test_keyboard_only_french_switch_and_a_unit_not_in_repair(stack, db, phone):
    unit = unit_in_repair(db, in_repair=False)
    user, _headers = technician(db)
    page = await phone.context.new_page()
    await page.goto("/app/")
    await expect(page.get_by_role("heading", name="Technician log in")).to_be_visible()
    # Switch to French from the header; the choice sticks.
    await page.get_by_label("Language").select_option("fr")
    await expect(page.get_by_role("heading", name="Connexion technicien")).to_be_visible()

    # Keyboard only: Tab to each field, Enter submits.
    await page.get_by_label("Nom d'utilisateur").focus()
    await page.keyboard.type(user.username)
    await page.keyboard.press("Tab")
    await page.keyboard.type("secret-password")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Trouver une unité")).to_be_focused()
    await page.keyboard.press("Tab")  # the heading has focus; the search field comes next
    await page.keyboard.type(unit.imei)
    await page.keyboard.press("Enter")

    # The server says why, in French, with the unit's actual state.
    await expect(page.get_by_role("alert")).to_have_text(
        f"L'unité {unit.imei} n'est pas à l'état IN_REPAIR_SYSTEM (elle est à l'état ACTIVATED) : "
        "aucune réparation ne peut commencer"
    )
    tech = Technician(page, phone, "fr")
    await tech.check_screen("not-in-repair")
    token = await page.evaluate("[sessionStorage.getItem('smartsolar.token'), localStorage.length]")
    assert token[0] and token[1] == 1  # the token in sessionStorage; only the language in localStorage
