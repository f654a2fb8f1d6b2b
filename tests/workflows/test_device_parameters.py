"""Parameters through the unit's DeviceWorkflow: pending (listed in its status and details) -> offered by
RC-GET -> active when the RC-POST reports it; cancel expires it; a worker restart loses nothing."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
from sqlalchemy import select
from temporalio.api.sdk.v1 import WorkflowMetadata

from core.settings import get_settings
from db.models.software import Parameter
from db.session import get_sessionmaker
from domain.permissions import Permission
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.worker import build_worker
from tests.dcm.helpers import workflow_done, workflow_status
from tests.utils.factories import auth_headers, make_parameter_type, make_product, make_software, unit_auth
from tests.utils.waiting import eventually
from tests.workflows.test_device_replay import sandboxed_replayer
from workflows.device import DeviceWorkflow
from workflows.device_patches import PARAMETERS


def rows(imei: str) -> list[tuple[str, str, bool, bool]]:
    """(value, status, date_added set, date_removed set), oldest first."""
    with get_sessionmaker()() as session:
        query = select(Parameter).where(Parameter.product_imei == imei).order_by(Parameter.parameter_id)
        return [
            (p.value, p.status, p.date_added is not None, p.date_removed is not None)
            for p in session.scalars(query)
        ]


async def ask(http, headers, imei, kind, value):
    body = {"parameter_type_id": kind.parameter_type_id, "product_imei": imei, "value": value}
    r = await http.post("/v1/parameters", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def report(value: str, kind) -> dict:
    return {
        "enable_flag": False,
        "tamper_flag": False,
        "software": "2.0",
        "parameters": [{"parameter_type": kind.name, "value": value}],
    }


async def test_pending_offered_applied(stack, db):
    unit = make_product(db)
    make_software(db, "2.0")  # what the unit reports running
    imei, system = unit.product_imei, auth_headers(db, Permission.SYSTEM)
    kind = make_parameter_type(db, name="brightness", data_type="int", rules={"min": 0, "max": 10})
    await ask(stack.http, system, imei, kind, "3")
    status = await eventually(lambda: _with_parameters(stack, imei))
    assert [(p.parameter_type, p.value) for p in status.parameters] == [("brightness", "3")]
    handle = stack.client.get_workflow_handle(f"device/{imei}")
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert "parameter brightness=3" in metadata.current_details

    answer = (await stack.http.get("/v1/rc_data", auth=unit_auth(unit))).json()
    assert answer["parameters"] == [{"parameter_type": "brightness", "value": "3"}]
    r = await stack.http.post("/v1/rc_data", json=report("3", kind), auth=unit_auth(unit))
    assert r.status_code == 200, r.text
    await workflow_done(stack, imei)
    assert rows(imei) == [("3", "active", True, False)]
    assert (await stack.http.get("/v1/rc_data", auth=unit_auth(unit))).json()["parameters"] == []
    await replays_with_the_patch(handle)

    await ask(stack.http, system, imei, kind, "4")
    await ask(stack.http, system, imei, kind, "5")  # before delivery: 4 expires
    await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    await stack.http.post("/v1/rc_data", json=report("5", kind), auth=unit_auth(unit))
    await workflow_done(stack, imei)
    assert rows(imei) == [
        ("3", "removed", True, True),
        ("4", "expired", True, True),
        ("5", "active", True, False),
    ]


async def replays_with_the_patch(handle) -> None:
    """The new path is deterministic: the run replays from its history, which carries the patch marker."""
    history = await handle.fetch_history()
    markers = [
        e.marker_recorded_event_attributes
        for e in history.events
        if e.HasField("marker_recorded_event_attributes")
    ]
    assert any(PARAMETERS.encode() in m.SerializeToString() for m in markers)
    replayer = sandboxed_replayer()
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


async def _with_parameters(stack, imei):
    try:
        status = await workflow_status(stack, imei)
    except Exception:  # not started yet
        return None
    return status if status.parameters else None


async def test_operator_cancel_expires_it(stack, db):
    unit = make_product(db)
    make_software(db, "2.0")  # what the unit reports running
    imei = unit.product_imei
    kind = make_parameter_type(db)
    await ask(stack.http, auth_headers(db, Permission.SYSTEM), imei, kind, "1")
    await eventually(lambda: _with_parameters(stack, imei))
    r = await stack.http.post(
        f"/v1/products/{imei}/cancel_pending_changes", headers=auth_headers(db, Permission.SYSTEM)
    )
    assert r.status_code == 200, r.text
    await workflow_done(stack, imei)
    assert rows(imei) == [("1", "expired", True, True)]


async def test_worker_restart_while_a_parameter_is_pending(local_env, app, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"restart-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    unit = make_product(db)
    make_software(db, "2.0")  # what the unit reports running
    imei = unit.product_imei
    kind = make_parameter_type(db)
    system = auth_headers(db, Permission.SYSTEM)
    handle = local_env.client.get_workflow_handle(f"device/{imei}")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                await ask(http, system, imei, kind, "7")
                await eventually(lambda: _status_has_parameters(handle))
            # The worker is gone. The unit connects and applies the parameter meanwhile.
            assert (await http.get("/v1/rc_data", auth=unit_auth(unit))).json()["parameters"][0][
                "value"
            ] == "7"
            assert (
                await http.post("/v1/rc_data", json=report("7", kind), auth=unit_auth(unit))
            ).status_code == 200
            assert rows(imei) == [("7", "active", True, False)]
            async with build_worker(local_env.client, settings, executor, SimulatedSmsGateway()):
                await handle.result()


async def _status_has_parameters(handle) -> bool:
    try:
        return bool((await handle.query(DeviceWorkflow.status)).parameters)
    except Exception:
        return False
