"""A worker killed mid-wait loses nothing: the next worker picks the device workflow up where it was."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
from sqlalchemy import select
from temporalio.client import WorkflowExecutionStatus

from core.settings import get_settings
from db.models.history import EnableHistory
from db.session import get_sessionmaker
from domain.permissions import Permission
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.worker import build_worker
from tests.utils.factories import auth_headers, make_product, unit_auth


def states(imei: str) -> list[str]:
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(EnableHistory.current_enable_state)
            .where(EnableHistory.product_imei == imei)
            .order_by(EnableHistory.enable_history_id)
        )
        return list(rows)


async def test_worker_restart_mid_wait(local_env, app, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"restart-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                await http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
                handle = local_env.client.get_workflow_handle(f"device/{unit.product_imei}")
                from workflows.device import DeviceWorkflow

                assert (await handle.query(DeviceWorkflow.status)).pending == {"enable": True}
            # The worker is gone (its sticky cache with it). The unit connects meanwhile.
            # The RC-GET settles what it delivered itself; the workflow has yet to hear of it.
            r = await http.get("/v1/rc_data", auth=unit_auth(unit))
            assert r.json()["enable_flag"] is True
            assert states(unit.product_imei) == ["pending_enabled", "enabled"]
            assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                await handle.result()  # the next worker takes the connection in and the run ends
    assert states(unit.product_imei) == ["pending_enabled", "enabled"]
