"""The simulator against the real stack: 20 sleeping units, enable them all, WAKEUP SMS wake them, every one
ends `enabled` with its history complete. Units connect on their own only hourly: the wake-ups do the work."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import uuid

import httpx
import uvicorn
from sqlalchemy import select

from core.settings import get_settings
from db.models.history import EnableHistory, SmsHistory
from db.models.product import Product
from db.session import session_scope
from domain.permissions import Permission
from simulator.fleet import Fleet, serve_network
from simulator.provision import provision_through_api
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.worker import build_worker
from tests.utils.factories import auth_headers, reference_data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_twenty_simulated_units_all_end_enabled(local_env, app, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"fleet-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    reference_data(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    system = auth_headers(db, Permission.SYSTEM)

    api_port, network_port = free_port(), free_port()
    api = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=api_port, log_level="warning"))
    api_task = asyncio.create_task(api.serve())
    while not api.started:
        await asyncio.sleep(0.02)
    # Made as the factory makes units: through the API.
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api_port}") as http:
        units = await provision_through_api(http, system, 20, prefix="77")
    fleet = Fleet(f"http://127.0.0.1:{api_port}", units, interval=3600, receipt_key=settings.sms_receipt_key)
    network = await serve_network(fleet, network_port)
    stop = asyncio.Event()
    gateway = SimulatedSmsGateway(f"http://127.0.0.1:{network_port}")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as executor:
            async with build_worker(local_env.client, settings, executor, gateway):
                fleet_task = asyncio.create_task(fleet.run(stop))
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api_port}") as http:
                    for unit in units:
                        r = await http.put(f"/v1/products/{unit.imei}/enable", headers=headers)
                        assert r.status_code == 200, r.text
                handles = [local_env.client.get_workflow_handle(f"device/{unit.imei}") for unit in units]
                # A bound, not a speed goal: ~60 s alone; `make test` runs another test process beside it.
                await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), timeout=300)
                stop.set()
                await fleet_task
    finally:
        stop.set()
        network.should_exit = True
        api.should_exit = True
        await api_task

    assert all(unit.enable_flag for unit in units), fleet.progress()
    assert all(not unit.errors for unit in units), [u.errors for u in units]
    with session_scope(actor="test") as session:
        for unit in units:
            product = session.get(Product, unit.imei)
            assert product.current_enable_flag and product.desired_enable_flag
            states = session.execute(
                select(EnableHistory.prev_enable_state, EnableHistory.current_enable_state)
                .where(EnableHistory.product_imei == unit.imei)
                .order_by(EnableHistory.enable_history_id)
            ).all()
            assert [tuple(s) for s in states] == [
                ("disabled", "pending_enabled"),
                ("pending_enabled", "enabled"),
            ]
            sms = session.scalars(select(SmsHistory).where(SmsHistory.product_imei == unit.imei)).all()
            assert [(s.trigger, s.status) for s in sms] == [("wakeup", "Delivered")]
