"""Delivery of payment commands when the unit stays silent (time-skipping server: hours pass at once), and
when the worker dies mid-delivery (real dev server)."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
from sqlalchemy import select

from core.settings import get_settings
from db.models.history import SmsHistory
from db.session import get_sessionmaker
from domain.permissions import Permission
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.worker import build_worker
from tests.dcm.helpers import add, balance, commands, dcm_unit, workflow_status
from tests.utils.factories import auth_headers
from tests.utils.waiting import eventually

FALLBACK = 6 * 3600  # settings.dcm_sms_fallback_seconds


def sms_rows(imei: str) -> list[tuple[str, int, str | None, str]]:
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(SmsHistory).where(SmsHistory.product_imei == imei).order_by(SmsHistory.sms_history_id)
        )
        return [(row.trigger, row.attempted_retries, row.status, row.message) for row in rows]


async def sleeping_until_sms(stack, imei: str, rounds_sent: int):
    """Wait until the workflow has sent `rounds_sent` SMS rounds and sleeps on its next timer."""

    async def idle():
        status = await workflow_status(stack, imei)
        sent = {c.sms_sent for c in status.payment_commands}
        return status if sent == {rounds_sent} else None

    return await eventually(idle)


async def test_sms_fallback_when_the_unit_does_not_connect(skipping_stack, db):
    stack = skipping_stack
    product, unit = dcm_unit(db)
    imei = product.product_imei
    assert (
        await add(stack, auth_headers(db, Permission.ADMIN), imei, "payment", 10, "p1")
    ).status_code == 201
    status = await sleeping_until_sms(stack, imei, 0)
    assert status.next_sms_at is not None
    await stack.env.sleep(FALLBACK - 60)
    assert sms_rows(imei) == []  # not yet: the unit may still connect on its own

    await stack.env.sleep(60 + 1)
    await eventually(lambda: sms_rows(imei) == [("payment_command", 0, None, "DCM p1 payment 10")])
    assert [(s.imei, s.message) for s in stack.gateway.sent] == [(imei, "DCM p1 payment 10")]
    assert commands(imei) == [("p1", "payment", 10, "sms-sent", False)]
    status = await sleeping_until_sms(stack, imei, 1)
    assert [(c.transaction_id, c.offered, c.sms_sent) for c in status.payment_commands] == [("p1", 0, 1)]
    receipt = {"message_reference": stack.gateway.sent[0].message_reference}  # the network delivered it
    r = await stack.http.post(
        "/v1/sms/receipts", json=receipt, headers={"X-SMS-Gateway-Key": "simulated-gateway-key"}
    )
    assert r.status_code == 200, r.text
    await eventually(lambda: sms_rows(imei)[0][2] == "Delivered")

    # Still silent: a second round, then a third, and no more (dcm_sms_max_rounds = 3).
    for rounds in (2, 3):
        await stack.env.sleep(FALLBACK + 1)
        await sleeping_until_sms(stack, imei, rounds)
    await stack.env.sleep(3 * FALLBACK)
    rows = sms_rows(imei)
    assert [(r[1], r[2]) for r in rows] == [(0, "Delivered"), (1, "Expired"), (2, "Expired")]
    assert (await workflow_status(stack, imei)).next_sms_at is None

    # The unit took the SMS while out of data coverage; when it reports, the command is acknowledged.
    assert unit.take_sms(stack.gateway.sent[0].message) and unit.balance == 10
    r = await stack.http.post("/v1/rc_data", json=unit.report(), auth=(imei, unit.device_key))
    assert r.status_code == 200, r.text
    await stack.client.get_workflow_handle(f"device/{imei}").result()
    assert commands(imei) == [("p1", "payment", 10, "acknowledged", False)]
    assert balance(imei).balance == 10


async def test_a_connection_restarts_the_fallback_clock(skipping_stack, db):
    stack = skipping_stack
    product, unit = dcm_unit(db)
    imei = product.product_imei
    await add(stack, auth_headers(db, Permission.ADMIN), imei, "payment", 10, "p1")
    await sleeping_until_sms(stack, imei, 0)
    await stack.env.sleep(FALLBACK - 60)
    # The unit connects just before the fallback (and drops out again before it can acknowledge).
    r = await stack.http.get("/v1/rc_data", auth=(imei, unit.device_key))
    assert r.json()["payment_commands"] == [{"transaction_id": "p1", "category": "payment", "value": 10}]
    await eventually(lambda: _offered_once(stack, imei))
    await stack.env.sleep(120)
    assert sms_rows(imei) == []  # the clock started again at the connection
    await stack.env.sleep(FALLBACK)
    await eventually(lambda: len(sms_rows(imei)) == 1)
    # Leave nothing running on the shared time-skipping server: the unit reports, the workflow ends.
    unit.take_sms(stack.gateway.sent[0].message)
    assert (
        await stack.http.post("/v1/rc_data", json=unit.report(), auth=(imei, unit.device_key))
    ).status_code == 200
    await eventually(lambda: commands(imei)[0][3] == "acknowledged")
    await stack.env.sleep(3600 + 1)  # the SMS, without a receipt, expires; then the workflow has nothing left
    await stack.client.get_workflow_handle(f"device/{imei}").result()


async def _offered_once(stack, imei):
    return [c.offered for c in (await workflow_status(stack, imei)).payment_commands] == [1]


async def test_worker_restart_mid_delivery(local_env, app, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"dcm-restart-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    product, unit = dcm_unit(db)
    imei = product.product_imei
    admin = auth_headers(db, Permission.ADMIN)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                r = await http.post(
                    f"/v1/products/{imei}/add_payment_command",
                    headers=admin,
                    json={"value": 10, "category": "payment", "transaction_id": "p1"},
                )
                assert r.status_code == 201
                handle = local_env.client.get_workflow_handle(f"device/{imei}")
                from workflows.device import DeviceWorkflow

                async def tracking():
                    return [
                        c.transaction_id for c in (await handle.query(DeviceWorkflow.status)).payment_commands
                    ]

                assert await eventually(tracking) == ["p1"]
            # The worker is gone. The unit connects (RC-GET delivers) and reports (RC-POST acknowledges) meanwhile.
            await unit.connect(http)
            await unit.connect(http)
            assert commands(imei) == [("p1", "payment", 10, "acknowledged", False)]
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                await handle.result()
    # The delayed RC-GET report did not turn the acknowledged command back to `sent`; nothing applied twice.
    assert commands(imei) == [("p1", "payment", 10, "acknowledged", False)]
    assert balance(imei).balance == 10
