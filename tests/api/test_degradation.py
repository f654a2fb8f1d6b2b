"""Graceful degradation when Temporal cannot be reached, here in an API process that started while it was
down (nothing listens on its address): routes that need Temporal answer 503 in the envelope within the
bounded time, the units' RC-GET still answers from the database, and repeating a request whose workflow
could not start starts it. (A dev server stopped mid-test: test_temporal_outage.py.)"""

from __future__ import annotations

import logging
import socket
import time

import pytest

from core.clock import utcnow
from core.settings import get_settings
from db.models.history import EnableHistory, TamperEnableHistory
from domain.device import switches
from domain.device.models import SwitchKind
from domain.permissions import Permission
from domain.scope import UnitScope
from tests.utils.factories import auth_headers, make_product, unit_auth
from tests.utils.history_rows import switch_states
from workflows.device import DeviceWorkflow


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens on it once the socket is closed


@pytest.fixture
def temporal_down(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "temporal_address", f"127.0.0.1:{closed_port()}")
    monkeypatch.setattr(settings, "temporal_unavailable_seconds", 1.0)
    return settings


def test_routes_that_need_temporal_answer_503_in_time(client, db, temporal_down, caplog):
    unit = make_product(db)
    headers = auth_headers(db, Permission.SYSTEM)
    imei = unit.product_imei
    caplog.set_level(logging.WARNING)
    for method, path in [
        ("PUT", f"/v1/products/{imei}/enable"),
        ("POST", f"/v1/products/{imei}/send_wakeup"),
        ("POST", f"/v1/products/{imei}/cancel_pending_changes"),
    ]:
        started = time.monotonic()
        r = client.request(method, path, headers=headers)
        elapsed = time.monotonic() - started
        assert r.status_code == 503, (path, r.text)
        body = r.json()
        assert body["status"] == "error" and "workflow engine could not be reached" in body["message"]
        # Bounded by the setting (1 s here), with room for a loaded machine; never Temporal's own ~10 s retries.
        assert elapsed < 1.0 + 3.0, (path, elapsed)
    assert not [rec for rec in caplog.records if rec.exc_info], "an outage is not a traceback"


def test_rc_get_answers_from_the_database_while_temporal_is_down(client, db, temporal_down):
    unit = make_product(db)
    r = client.get("/v1/rc_data", auth=unit_auth(unit))
    assert r.status_code == 200, r.text
    assert r.json()["enable_flag"] is False


@pytest.mark.parametrize(
    "path, kind, target, flags",
    [
        ("enable", SwitchKind.ENABLE, True, {}),
        ("disable", SwitchKind.ENABLE, False, {"current_enable_flag": True, "desired_enable_flag": True}),
        ("enable_tamper_switch", SwitchKind.TAMPER, True, {}),
    ],
)
async def test_a_repeated_request_while_pending_starts_the_lost_workflow(
    stack, db, path, kind, target, flags
):
    """The first request was saved but its workflow never started (the API died between its commit and the
    start, or Temporal was down): repeating it writes nothing more and starts the workflow, which then
    settles the change at the unit's next RC-GET."""
    unit = make_product(db, **flags)
    imei, headers = unit.product_imei, auth_headers(db, Permission.TECHNICAL)
    table = EnableHistory if kind is SwitchKind.ENABLE else TamperEnableHistory
    switches.request_change(db, UnitScope(entity_id=None), imei, kind, target, "tech", utcnow())
    db.commit()  # ...and no workflow was started
    rows = switch_states(imei, table)
    assert len(rows) == 1 and rows[0].startswith("pending_")

    r = await stack.http.put(f"/v1/products/{imei}/{path}", headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "success", r.text
    assert switch_states(imei, table) == rows  # nothing applied twice
    handle = stack.client.get_workflow_handle_for(DeviceWorkflow.run, f"device/{imei}")
    assert (await handle.query(DeviceWorkflow.status)).pending == {kind: target}  # it runs, with the change
    assert (await stack.http.get("/v1/rc_data", auth=unit_auth(unit))).status_code == 200
    await handle.result()
    assert switch_states(imei, table) == [*rows, rows[0].removeprefix("pending_")]
