"""POST /v1/upload_tool_log: required fields, the fields each tool may send, a factory_log row."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.models.history import FactoryLog
from domain.permissions import Permission
from domain.telemetry.tool_logs import PERMITTED
from tests.utils.factories import auth_headers, make_product

DOC_LOG = {
    "time": "2020-11-05T10:25:30Z",
    "message": json.dumps(
        {"serials": {"pcb": "BX0020-417157-M"}, "input_pv": {"value": "5.150", "pass": True}}
    ),
    "toolname": "bpower20_registration_production",
    "hostname": "CN-REG03",
    "machine_id": "593bfa0c",
    "passed": True,
    "product_imei": "866557056339858",
    "serial_number": "",
    "software_version": "0.3.0",
    "user": "mfg.sunworth@bboxx.co.uk",
}


def test_the_doc_example_is_stored(client, db):
    make_product(db, imei=DOC_LOG["product_imei"])
    r = client.post("/v1/upload_tool_log", json=DOC_LOG, headers=auth_headers(db, Permission.SYSTEM))
    assert r.status_code == 201, r.text
    assert r.json() == {"status": "success", "message": "Log uploaded successfully", "data": None}
    row = db.scalars(select(FactoryLog)).one()
    assert (row.app_name, row.product_imei, row.timestamp.isoformat()) == (
        "bpower20_registration_production",
        "866557056339858",
        "2020-11-05T10:25:30",
    )
    assert row.tags == {
        "hostname": "CN-REG03",
        "machine_id": "593bfa0c",
        "software_version": "0.3.0",
        "user": DOC_LOG["user"],
    }
    assert row.fields == {"message": DOC_LOG["message"], "passed": True, "serial_number": ""}


def test_a_log_about_an_unknown_unit_is_refused(client, db):
    r = client.post("/v1/upload_tool_log", json=DOC_LOG, headers=auth_headers(db, Permission.SYSTEM))
    assert r.status_code == 400, r.text
    assert "product_imei" in r.json()["validation_errors"]
    assert db.scalars(select(FactoryLog)).first() is None


@pytest.mark.parametrize("toolname", sorted(PERMITTED))
def test_each_tool_takes_its_fields_and_no_other(client, db, toolname):
    headers = auth_headers(db, Permission.SYSTEM)
    base = {"time": 1604571930000, "message": "ok", "toolname": toolname}
    allowed = {name: "x" for name in PERMITTED[toolname] if name not in ("time", "product_imei")}
    assert client.post("/v1/upload_tool_log", json=base | allowed, headers=headers).status_code == 201
    others = {"jig_id", "hostname", "count", "control_board_revision", "product_imei"} - PERMITTED[toolname]
    for name in others:
        r = client.post("/v1/upload_tool_log", json=base | {name: "1"}, headers=headers)
        assert r.status_code == 400 and name in r.json()["message"], (toolname, name)
    assert len(db.scalars(select(FactoryLog)).all()) == 1


def test_required_fields_permission_and_bad_values(client, db):
    headers = auth_headers(db, Permission.SYSTEM)
    for missing in ("time", "message", "toolname"):
        body = {k: v for k, v in DOC_LOG.items() if k != missing}
        r = client.post("/v1/upload_tool_log", json=body, headers=headers)
        assert r.status_code == 400 and missing in r.json()["message"]
    for bad in ({"toolname": "nope"}, {"time": "not a time"}, {"product_imei": "abc"}, {"user": {"a": 1}}):
        assert client.post("/v1/upload_tool_log", json=DOC_LOG | bad, headers=headers).status_code == 400, bad
    factory = auth_headers(db, Permission.FACTORY)
    assert client.post("/v1/upload_tool_log", json=DOC_LOG, headers=factory).status_code == 403
    assert db.scalars(select(FactoryLog)).all() == []
