"""Wake-up SMS over hours of simulated time (time-skipping server): Expired, retries, stop on connection."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.clock import utcnow
from db.models.history import SmsHistory
from db.session import get_sessionmaker
from domain.device import wakeup
from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, run_software, unit_auth
from tests.utils.waiting import eventually


def sms_rows(imei: str) -> list[tuple[int, str | None]]:
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(SmsHistory).where(SmsHistory.product_imei == imei).order_by(SmsHistory.sms_history_id)
        )
        return [(row.attempted_retries, row.status) for row in rows]


async def idle(stack, imei: str, *, retry_planned: bool) -> None:
    """Wait until the wake-up workflow sleeps on its next timer, so skipped time reaches that timer."""
    from workflows.wakeup import WakeupWorkflow

    handle = stack.client.get_workflow_handle(f"wakeup/{imei}")

    async def sleeping():
        status = await handle.query(WakeupWorkflow.status)
        return (status.next_retry_at is not None) == retry_planned

    await eventually(sleeping)


async def enable_sleeping_unit(stack, db):
    unit = make_product(db)
    run_software(db, unit, "3.4")
    r = await stack.http.put(
        f"/v1/products/{unit.product_imei}/enable", headers=auth_headers(db, Permission.TECHNICAL)
    )
    assert r.status_code == 200, r.text
    await eventually(lambda: sms_rows(unit.product_imei) == [(0, None)])
    await idle(stack, unit.product_imei, retry_planned=False)
    return unit


async def test_sms_expires_then_retries_until_the_unit_connects(skipping_stack, db):
    stack = skipping_stack
    unit = await enable_sleeping_unit(stack, db)
    await stack.env.sleep(3600 + 1)  # no receipt within sms_timeout
    await eventually(lambda: sms_rows(unit.product_imei) == [(0, "Expired")])
    await idle(stack, unit.product_imei, retry_planned=True)
    await stack.env.sleep(600 + 1)  # first backoff
    await eventually(lambda: sms_rows(unit.product_imei) == [(0, "Expired"), (1, None)])

    await idle(stack, unit.product_imei, retry_planned=False)
    r = await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    assert r.json()["enable_flag"] is True
    # Settled: the workflow and its wake-up end at once; the second SMS is the database's now.
    await stack.client.get_workflow_handle(f"device/{unit.product_imei}").result()
    assert await stack.client.get_workflow_handle(f"wakeup/{unit.product_imei}").result() == 2
    assert sms_rows(unit.product_imei) == [(0, "Expired"), (1, None)]
    with get_sessionmaker()() as session, session.begin():
        (deadline,) = session.scalars(select(SmsHistory.sms_timeout).where(SmsHistory.status.is_(None)))
        assert wakeup.expire_overdue(session, deadline) == 0  # not before its timeout
        assert wakeup.expire_overdue(session, deadline + timedelta(seconds=1)) >= 1  # the sweep's round
    assert sms_rows(unit.product_imei) == [(0, "Expired"), (1, "Expired")]
    assert len(stack.gateway.sent) == 2


async def test_a_unit_that_connected_with_nothing_pending_gets_no_retry(stack, db, clock, monkeypatch):
    """An RC-GET with nothing pending does not reach Temporal: the wake-up reads the unit's connection
    from the database before a retry. (send_wakeup is an Update: the real dev server, on short timers.)"""
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "wakeup_sms_timeout_seconds", 1)
    monkeypatch.setattr(get_settings(), "wakeup_retry_backoff_seconds", 1)
    unit = make_product(db)
    run_software(db, unit, "3.4")
    r = await stack.http.post(
        f"/v1/products/{unit.product_imei}/send_wakeup", headers=auth_headers(db, Permission.ADMIN)
    )
    assert r.status_code == 200, r.text
    report = {"enable_flag": False, "tamper_flag": False, "software": "3.4"}
    clock.now = utcnow()  # the connection comes after the SMS
    assert (await stack.http.post("/v1/rc_data", json=report, auth=unit_auth(unit))).status_code == 200
    # The SMS expires after 1 s; at the retry, 1 s later, the unit is known to have connected.
    assert await stack.client.get_workflow_handle(f"wakeup/{unit.product_imei}").result() == 1
    await stack.client.get_workflow_handle(f"device/{unit.product_imei}").result()
    assert sms_rows(unit.product_imei) == [(0, "Expired")]


async def test_retries_stop_at_the_configured_number(skipping_stack, db):
    stack = skipping_stack
    unit = await enable_sleeping_unit(stack, db)
    # 1 SMS + 3 retries, each expiring after an hour, with 600 s, 1200 s, 2400 s of backoff between them.
    for retries in range(1, 4):
        await stack.env.sleep(3600 + 1)
        await idle(stack, unit.product_imei, retry_planned=True)
        await stack.env.sleep(600 * 2 ** (retries - 1) + 1)
        await eventually(lambda: len(sms_rows(unit.product_imei)) == retries + 1)
        await idle(stack, unit.product_imei, retry_planned=False)
    await stack.env.sleep(3600 + 1)
    await eventually(
        lambda: (
            sms_rows(unit.product_imei) == [(0, "Expired"), (1, "Expired"), (2, "Expired"), (3, "Expired")]
        )
    )
    await stack.env.sleep(24 * 3600)
    assert len(sms_rows(unit.product_imei)) == 4
    # The change is still pending: the device workflow waits for the unit, however long it takes.
    description = await stack.client.get_workflow_handle(f"device/{unit.product_imei}").describe()
    assert description.status.name == "RUNNING"
