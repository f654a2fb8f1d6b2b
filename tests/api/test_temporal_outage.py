"""A real Temporal dev server started after the API, stopped in the middle of a unit's life, then started
again on its file: while it is down, routes that need it answer 503 in the envelope within the bound and
the units' RC-GET and RC-POST still answer from the database; once it is back, the next RC-GETs catch the
workflows up with what they missed (a change delivered, a parameter the unit reported)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
import uuid

import httpx
from sqlalchemy import select
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from contracts.search import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID
from core.settings import get_settings
from db.models.software import Parameter
from db.session import get_sessionmaker
from domain.permissions import Permission
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.temporal import binary
from smartsolar.worker import build_worker
from tests.api.test_degradation import closed_port
from tests.utils.factories import auth_headers, make_parameter_type, make_product, make_software, unit_auth
from tests.utils.history_rows import switch_states
from tests.utils.waiting import eventually
from workflows.device import DeviceWorkflow

BOUND = 1.0  # SMARTSOLAR_TEMPORAL_UNAVAILABLE_SECONDS in this test


async def dev_server(port: int, database_file: str) -> WorkflowEnvironment:
    """`temporal server start-dev` on a fixed port, keeping its state in a file (so a restart keeps it)."""
    return await WorkflowEnvironment.start_local(
        port=port,
        dev_server_existing_path=binary("temporal"),
        dev_server_database_filename=database_file,
        data_converter=pydantic_data_converter,
        search_attributes=[PRODUCT_IMEI, REPAIR_ID, ENTITY_ID],
    )


def parameter_rows(imei: str) -> list[tuple[str, str]]:
    with get_sessionmaker()() as session:
        query = select(Parameter).where(Parameter.product_imei == imei)
        return [(p.value, p.status) for p in session.scalars(query)]


def report(kind, value: str, enabled: bool = False) -> dict:
    parameters = [{"parameter_type": kind.name, "value": value}] if kind else []
    return {"enable_flag": enabled, "tamper_flag": False, "software": "2.0", "parameters": parameters}


async def has_parameters(client, imei: str) -> bool:
    try:
        handle = client.get_workflow_handle_for(DeviceWorkflow.run, f"device/{imei}")
        return bool((await handle.query(DeviceWorkflow.status)).parameters)
    except Exception:  # not started yet
        return False


async def answers_503_in_time(call) -> None:
    started = time.monotonic()
    r = await call()
    elapsed = time.monotonic() - started
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "error" and "workflow engine could not be reached" in body["message"], body
    # Bounded by the setting, with room for a loaded machine; never Temporal's own ~10 s of retries.
    assert elapsed < BOUND + 3.0, elapsed


async def test_a_dev_server_stopped_mid_test_then_back(app, db, monkeypatch, tmp_path, caplog):
    port = closed_port()
    settings = get_settings()
    monkeypatch.setattr(settings, "temporal_address", f"127.0.0.1:{port}")
    monkeypatch.setattr(settings, "temporal_unavailable_seconds", BOUND)
    monkeypatch.setattr(settings, "task_queue", f"outage-{uuid.uuid4()}")
    app.state.temporal_client = None  # the API connects by itself, as in production
    make_software(db, "2.0")
    unit, other = make_product(db), make_product(db)
    kind = make_parameter_type(db)
    system = auth_headers(db, Permission.SYSTEM)
    server_file = str(tmp_path / "temporal.db")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        # The API is up before Temporal is: 503 in time; it connects by itself once Temporal is there.
        wakeup = f"/v1/products/{unit.product_imei}/send_wakeup"
        await answers_503_in_time(lambda: http.post(wakeup, headers=system))
    env = await dev_server(port, server_file)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
                async with build_worker(env.client, settings, executor, SimulatedSmsGateway()):
                    body = {"parameter_type_id": kind.parameter_type_id, "product_imei": unit.product_imei}
                    r = await http.post("/v1/parameters", json=body | {"value": "7"}, headers=system)
                    assert r.status_code == 201, r.text
                    await eventually(lambda: has_parameters(env.client, unit.product_imei))
                await env.shutdown()  # Temporal goes away with a workflow waiting for the unit's report

                caplog.set_level(logging.WARNING)
                imei, other_imei = unit.product_imei, other.product_imei
                await answers_503_in_time(
                    lambda: http.put(f"/v1/products/{other_imei}/enable", headers=system)
                )
                await answers_503_in_time(
                    lambda: http.post(f"/v1/products/{imei}/send_wakeup", headers=system)
                )
                # The units are answered from the database: the enable was saved before the 503.
                r = await http.get("/v1/rc_data", auth=unit_auth(unit))
                assert r.status_code == 200 and r.json()["parameters"][0]["value"] == "7", r.text
                r = await http.post("/v1/rc_data", json=report(kind, "7"), auth=unit_auth(unit))
                assert r.status_code == 200, r.text
                assert parameter_rows(imei) == [("7", "active")]
                r = await http.get("/v1/rc_data", auth=unit_auth(other))
                assert r.status_code == 200 and r.json()["enable_flag"] is True, r.text
                # The RC-GET settles what it delivered in its own transaction, Temporal or not.
                assert switch_states(other_imei) == ["pending_enabled", "enabled"]
                assert not [rec for rec in caplog.records if rec.exc_info], "an outage is not a traceback"

                env = await dev_server(port, server_file)  # back, with the history it had
                async with build_worker(env.client, settings, executor, SimulatedSmsGateway()):
                    # The next RC-GETs catch up: the unit's workflow hears the parameter is settled and
                    # ends; the other's change, settled during the outage, needs no workflow.
                    for each in (unit, other):
                        r = await http.get("/v1/rc_data", auth=unit_auth(each))
                        assert r.status_code == 200, r.text
                    # A bound, not a speed goal: without the catch-up it would wait for a day.
                    await asyncio.wait_for(env.client.get_workflow_handle(f"device/{imei}").result(), 60)
                    assert [
                        w async for w in env.client.list_workflows(f"WorkflowId = 'device/{other_imei}'")
                    ] == []
        assert switch_states(other_imei) == ["pending_enabled", "enabled"]
        assert parameter_rows(imei) == [("7", "active")]
    finally:
        await env.shutdown()
