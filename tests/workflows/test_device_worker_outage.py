"""End to end through the API, the real worker and the real dev server: units enabled and connecting while no
worker runs get their change settled, and no WAKEUP SMS, once a worker is back (the connections heard
meanwhile are handled before the wake-ups queued with the requests). A unit that did not connect is woken."""

from __future__ import annotations

import asyncio
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
from tests.utils.factories import auth_headers, make_product, run_software, unit_auth
from tests.utils.history_rows import switch_states
from tests.utils.waiting import eventually


def sms_count(imei: str) -> int:
    with get_sessionmaker()() as session:
        return len(list(session.scalars(select(SmsHistory).where(SmsHistory.product_imei == imei))))


async def test_units_that_connected_during_a_worker_outage_get_no_wakeup(local_env, app, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"worker-outage-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    connecting = [make_product(db) for _ in range(3)]
    asleep = make_product(db)
    for unit in [*connecting, asleep]:
        run_software(db, unit, "3.4")  # software that takes WAKEUP SMS: an enable asks for one
    technician = auth_headers(db, Permission.TECHNICAL)
    gateway = SimulatedSmsGateway()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
            async with build_worker(local_env.client, settings, executor, gateway):
                pass  # a worker was polling; now it is gone
            for unit in [*connecting, asleep]:
                r = await http.put(f"/v1/products/{unit.product_imei}/enable", headers=technician)
                assert r.status_code == 200, r.text
            for unit in connecting:
                r = await http.get("/v1/rc_data", auth=unit_auth(unit))
                assert r.status_code == 200 and r.json()["enable_flag"] is True, r.text
            assert gateway.sent == []

            async with build_worker(local_env.client, settings, executor, gateway):
                for unit in connecting:
                    handle = local_env.client.get_workflow_handle(f"device/{unit.product_imei}")
                    await asyncio.wait_for(handle.result(), 60)  # a bound, not a speed goal
                # The unit that never connected is woken: wake-ups did work during this run.
                await eventually(lambda: [sms.imei for sms in gateway.sent] == [asleep.product_imei])
                await local_env.client.get_workflow_handle(f"device/{asleep.product_imei}").terminate()

    for unit in connecting:
        assert switch_states(unit.product_imei) == ["pending_enabled", "enabled"]
        assert sms_count(unit.product_imei) == 0
    assert [sms.imei for sms in gateway.sent] == [asleep.product_imei]
