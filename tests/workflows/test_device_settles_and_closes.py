"""A settled change leaves nothing open for its unit: the device workflow and its wake-up end when the RC-GET
settles it (the SMS still out is the database's), and later connections start nothing."""

from __future__ import annotations

from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, run_software, unit_auth
from tests.utils.waiting import eventually
from tests.workflows.test_wakeup import sms_rows

# History events of a settled enable (README, "Device workflows"); a bound, so growth is noticed.
MAX_EVENTS = {"device": 44, "wakeup": 20}


async def running(stack, imei: str) -> list[str]:
    query = f"ProductImei = '{imei}' AND ExecutionStatus = 'Running'"
    return sorted([w.id async for w in stack.client.list_workflows(query)])


async def nothing_running(stack, imei: str) -> bool:
    return await running(stack, imei) == []


async def events(stack, workflow_id: str) -> int:
    return len((await stack.client.get_workflow_handle(workflow_id).fetch_history()).events)


async def connect(stack, unit) -> None:
    report = {"enable_flag": False, "tamper_flag": False, "software": "3.6"}
    assert (await stack.http.post("/v1/rc_data", json=report, auth=unit_auth(unit))).status_code == 200
    answer = await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200 and answer.json()["enable_flag"] is True


async def enable_waking_unit(stack, db):
    """A unit that wakes on an SMS, enabled: its device workflow and wake-up child run, the SMS is out."""
    unit = make_product(db)
    run_software(db, unit, "3.6")
    imei = unit.product_imei
    r = await stack.http.put(f"/v1/products/{imei}/enable", headers=auth_headers(db, Permission.TECHNICAL))
    assert r.status_code == 200
    await eventually(lambda: sms_rows(imei) == [(0, None)])
    await eventually(lambda: _equals(running(stack, imei), [f"device/{imei}", f"wakeup/{imei}"]))
    return unit


async def test_a_settled_enable_with_a_wakeup_leaves_no_open_workflow(stack, db):
    unit = await enable_waking_unit(stack, db)
    imei = unit.product_imei
    await connect(stack, unit)
    await stack.client.get_workflow_handle(f"device/{imei}").result()
    await eventually(lambda: nothing_running(stack, imei))
    assert sms_rows(imei) == [(0, None)]  # its receipt, or the expiry sweep, settles it in the database
    for _ in range(3):  # the unit keeps connecting: nothing is pending, nothing starts
        await connect(stack, unit)
    assert await running(stack, imei) == []
    device, wake = await events(stack, f"device/{imei}"), await events(stack, f"wakeup/{imei}")
    assert device <= MAX_EVENTS["device"] and wake <= MAX_EVENTS["wakeup"], (device, wake)


async def test_a_settled_enable_without_a_wakeup_closes_its_workflow(stack, db):
    unit = make_product(db)
    imei = unit.product_imei
    await stack.http.put(f"/v1/products/{imei}/enable", headers=auth_headers(db, Permission.TECHNICAL))
    answer = await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.json()["enable_flag"] is True
    await stack.client.get_workflow_handle(f"device/{imei}").result()
    await eventually(lambda: nothing_running(stack, imei))
    assert await events(stack, f"device/{imei}") <= MAX_EVENTS["device"]


async def _equals(ids, expected: list[str]) -> bool:
    return await ids == expected
