"""RTC units get their pending changes pushed by their DeviceWorkflow over the real broker, settled by the
unit's reply; a unit that does not answer falls back to RC-GET and the wake-up SMS."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from temporalio.api.sdk.v1 import WorkflowMetadata

from core.settings import get_settings
from db.models.credit import PaymentCommand
from db.models.history import EnableHistory
from db.session import get_sessionmaker
from domain.permissions import Permission
from domain.rtc.encoding import MtType
from simulator.fleet import Fleet
from simulator.unit import SimulatedUnit
from tests.dcm.helpers import add
from tests.rtc.helpers import mt_rows, product, rtc_product
from tests.utils.factories import auth_headers, make_product, run_software
from tests.utils.waiting import eventually
from workflows.device import DeviceWorkflow


def enable_states(imei: str) -> list[str]:
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(EnableHistory)
            .where(EnableHistory.product_imei == imei)
            .order_by(EnableHistory.enable_history_id)
        )
        return [row.current_enable_state for row in rows]


def command_statuses(imei: str) -> list[str]:
    with get_sessionmaker()() as session:
        rows = session.scalars(select(PaymentCommand).where(PaymentCommand.product_imei == imei))
        return [row.status for row in rows]


async def details(stack, imei: str) -> str:
    handle = stack.client.get_workflow_handle(f"device/{imei}")
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    return metadata.current_details


async def test_an_enable_and_a_payment_command_reach_an_rtc_unit_at_once_and_settle_on_its_reply(
    rtc_stack, db
):
    rtc, stack = rtc_stack
    unit = make_product(db, rtc_enabled_flag=True, dcm_enabled_flag=True)
    run_software(db, unit, "2.0")  # no wake-ups: only the push reaches it before its next RC-GET
    imei = unit.product_imei
    sim = await rtc.unit(unit)
    sim.unit.software = "2.0"
    r = await stack.http.put(f"/v1/products/{imei}/enable", headers=auth_headers(db, Permission.TECHNICAL))
    assert r.status_code == 200, r.text
    assert (
        await add(stack, auth_headers(db, Permission.ADMIN), imei, "payment", 10, "t1")
    ).status_code == 201

    handle = stack.client.get_workflow_handle_for(DeviceWorkflow.run, f"device/{imei}")
    await asyncio.wait_for(handle.result(), 60)  # settled by the unit's reply and status report, no RC-GET
    assert sim.unit.enable_flag is True and sim.unit.applied == {"t1": None}
    assert enable_states(imei) == ["pending_enabled", "enabled"]
    assert command_statuses(imei) == ["acknowledged"]
    assert product(imei).current_enable_flag is True
    states = [row for row in mt_rows(imei) if row.message_json.startswith(f"[{int(MtType.STATE)},")]
    assert states and all(row.delivery_status == "delivered" for row in states)
    assert [sms for sms in stack.gateway.sent if sms.imei == imei] == []  # no wake-up SMS was needed


async def test_a_unit_that_does_not_reply_falls_back_to_rc_get_and_the_wakeup_sms(rtc_stack, db, monkeypatch):
    rtc, stack = rtc_stack
    monkeypatch.setattr(get_settings(), "rtc_reply_timeout_seconds", 2)
    unit = rtc_product(db)
    imei = unit.product_imei
    sim = await rtc.unit(unit, answers=False)  # takes the message, never replies
    r = await stack.http.put(f"/v1/products/{imei}/enable", headers=auth_headers(db, Permission.TECHNICAL))
    assert r.status_code == 200, r.text

    await eventually(lambda: sim.received)
    assert sim.received[0][0] == MtType.STATE and sim.received[0][1]["e"] is True
    pushed = await eventually(lambda: _containing(stack, imei, "pushed over RTC"))
    assert "waiting for its reply until" in pushed
    status = await handle_status(stack, imei)
    assert status.rtc_path in ("push", "rc-get")

    fallback = await eventually(lambda: _containing(stack, imei, "on the RC-GET path"))
    assert "no reply within 2 s" in fallback and "enable=on" in fallback
    await eventually(lambda: [sms for sms in stack.gateway.sent if sms.imei == imei])  # the wake-up SMS
    assert (await handle_status(stack, imei)).rtc_path == "rc-get"
    assert enable_states(imei) == ["pending_enabled"]
    assert [row.delivery_status for row in mt_rows(imei)] == [None]

    await sim.unit.connect(stack.http)  # the woken unit's RC-POST and RC-GET settle it
    await asyncio.wait_for(stack.client.get_workflow_handle(f"device/{imei}").result(), 60)
    assert enable_states(imei) == ["pending_enabled", "enabled"]


async def _containing(stack, imei: str, text: str) -> str | None:
    current = await details(stack, imei)
    return current if text in current else None


async def handle_status(stack, imei: str):
    return await stack.client.get_workflow_handle(f"device/{imei}").query(DeviceWorkflow.status)


async def test_the_simulated_fleet_s_rtc_units_take_enables_over_the_broker(rtc_stack, db):
    """`make run FLEET=n RTC=m`'s RTC units: they connect over HTTP only hourly, so the broker does the work."""
    rtc, stack = rtc_stack
    settings = get_settings()
    products = [rtc_product(db) for _ in range(3)]
    units = [SimulatedUnit(p.product_imei, p.raw_device_key) for p in products]
    fleet = Fleet(
        "http://127.0.0.1:9",
        units,
        interval=3600,
        receipt_key=settings.sms_receipt_key,
        rtc_units=units,
        amqp_url=settings.amqp_url,
        amqp_prefix=rtc.names.prefix,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(fleet.run(stop))
    try:
        await eventually(lambda: all(unit.online for unit in fleet.rtc))
        headers = auth_headers(db, Permission.TECHNICAL)
        for unit in units:
            assert (
                await stack.http.put(f"/v1/products/{unit.imei}/enable", headers=headers)
            ).status_code == 200
        handles = [stack.client.get_workflow_handle(f"device/{unit.imei}") for unit in units]
        await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), 60)
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
    assert all(unit.enable_flag for unit in units) and "RTC 3 online" in fleet.progress()
    assert all(enable_states(unit.imei) == ["pending_enabled", "enabled"] for unit in units)
    rtc.units.extend(fleet.rtc)  # their queues are dropped with the test's names
