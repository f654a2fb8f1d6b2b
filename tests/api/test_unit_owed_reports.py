"""A unit's report that could not reach its workflow (a Temporal outage) is owed in the database: another
API process (here a second app instance, as after a restart) makes the unit's next RC-GET report it even
with nothing pending, and the debt is cleared only once that report reached Temporal."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from api.app import create_app
from core.settings import get_settings
from db.models.owed_reports import owed_unit_report
from db.session import get_sessionmaker
from domain.permissions import Permission
from tests.api.test_degradation import closed_port
from tests.api.test_temporal_outage import has_parameters, parameter_rows, report
from tests.utils.factories import auth_headers, make_parameter_type, make_product, make_software, unit_auth
from tests.utils.waiting import eventually
from workflows.device import DeviceWorkflow


def owed(imei: str) -> list[int]:
    with get_sessionmaker()() as session:
        query = select(owed_unit_report.c.lost_reports).where(owed_unit_report.c.product_imei == imei)
        return list(session.scalars(query))


async def test_an_owed_report_survives_the_process_and_is_cleared_once_reported(stack, db, monkeypatch):
    make_software(db, "2.0")
    unit, kind = make_product(db), make_parameter_type(db)
    imei, system = unit.product_imei, auth_headers(db, Permission.SYSTEM)
    body = {"parameter_type_id": kind.parameter_type_id, "product_imei": imei, "value": "7"}
    assert (await stack.http.post("/v1/parameters", json=body, headers=system)).status_code == 201
    await eventually(lambda: has_parameters(stack.client, imei))

    # This process loses Temporal: the unit's report settles the parameter in the database only.
    settings = get_settings()
    monkeypatch.setattr(settings, "temporal_address", f"127.0.0.1:{closed_port()}")
    monkeypatch.setattr(settings, "temporal_unavailable_seconds", 1.0)
    stack.app.state.temporal_client = None
    r = await stack.http.post("/v1/rc_data", json=report(kind, "7"), auth=unit_auth(unit))
    assert r.status_code == 200, r.text
    assert parameter_rows(imei) == [("7", "active")]
    assert owed(imei) == [1]
    handle = stack.client.get_workflow_handle_for(DeviceWorkflow.run, f"device/{imei}")
    assert (await handle.query(DeviceWorkflow.status)).parameters  # it missed the report

    # Another API process, which never saw the outage, with Temporal reachable.
    other = create_app()
    other.state.temporal_client = stack.client
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other), base_url="http://other") as http:
        r = await http.get("/v1/rc_data", auth=unit_auth(unit))
        assert r.status_code == 200, r.text
        assert r.json()["parameters"] == []  # nothing pending, yet it reported: the workflow reloads and ends
        await asyncio.wait_for(handle.result(), 60)  # a bound, not a speed goal
        assert owed(imei) == []
        assert (await http.get("/v1/rc_data", auth=unit_auth(unit))).status_code == 200
    assert owed(imei) == []
