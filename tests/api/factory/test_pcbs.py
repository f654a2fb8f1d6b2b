"""`/parts/create_<family>_pcb`: the doc's answers, defaults, validation, 409s, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models.parts import Part, PartType, PartTypeCategory
from db.models.product import Serial
from domain.device.unit_protocol import device_key_digest
from domain.factory.serials import is_valid
from domain.permissions import Permission
from tests.api.factory.conftest import pcb_payload
from tests.utils.factories import auth_headers
from tests.utils.response_schema import assert_conforms


def test_tiger_pcb_answers_the_docs_shape_and_stores_only_a_digest(client, db, factory):
    payload = pcb_payload()
    r = client.post("/v1/parts/create_tiger_pcb", json=payload, headers=factory)
    assert r.status_code == 200, r.text
    body = assert_conforms(r, "/v1/parts/create_tiger_pcb")
    assert body["status"] == "success" and body["message"] == "new pcb part and sim successfully created"
    assert r.headers["cache-control"] == "no-store"
    pcb, sim = body["data"]["pcb"], body["data"]["sim"]
    assert pcb["part_type_id"] == 44 and sim["part_type_id"] == 43
    assert pcb["serial_number"] == payload["imei"] and sim["serial_number"] == payload["imsi"]
    assert pcb["manufacturer"] == "A Factory"
    properties = pcb["properties"]
    assert set(properties) == {"device_key", "imei", "imsi", "serial_number"}
    assert properties["device_key"] == payload["device_key"]  # shown this once
    assert properties["serial_number"].startswith("HB") and is_valid(properties["serial_number"])

    db.expire_all()
    stored = db.get(Part, pcb["part_id"])
    assert payload["device_key"] not in str(stored.properties)
    assert stored.properties["device_key_digest"] == device_key_digest(payload["device_key"])
    listed = client.get(f"/v1/parts/{pcb['part_id']}", headers=factory).json()
    assert payload["device_key"] not in str(listed)


@pytest.mark.parametrize(
    ("family", "part_type_id", "message", "status", "erp"),
    [
        ("hyena", 77, "new pcb part and sim successfully created", 200, None),
        ("koala", 122, "new koala pcb successfully created.", 201, "PA01040102"),
        ("jackal", 158, "new jackal pcb successfully created.", 200, "PA04010102"),
    ],
)
def test_each_family_has_the_docs_default_type_message_and_erp_code(
    client, factory, family, part_type_id, message, status, erp
):
    payload = pcb_payload(iccid="66685607592181745482")
    r = client.post(f"/v1/parts/create_{family}_pcb", json=payload, headers=factory)
    assert r.status_code == status, r.text
    assert r.json()["message"] == message
    data = r.json()["data"]
    assert data["pcb"]["part_type_id"] == part_type_id
    assert data["sim"]["serial_number"] == "66685607592181745482"  # the iccid when given
    assert data["pcb"]["properties"]["iccid"] == "66685607592181745482"
    assert data["pcb"]["properties"].get("erp_code_override") == erp


def test_part_types_given_must_exist_and_be_of_the_right_category(client, db, factory):
    r = client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(pcb_part_type_id=999), headers=factory)
    assert r.status_code == 400 and r.json()["status"] == "validation-error"
    assert r.json()["validation_errors"] == {"pcb_part_type_id": "No part_type 999"}
    r = client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(pcb_part_type_id=43), headers=factory)
    assert r.status_code == 400 and "pcb_part_type_id" in r.json()["validation_errors"]
    pcb_category = db.scalar(select(PartTypeCategory).where(PartTypeCategory.name == "PCB"))
    db.add(
        PartType(
            name="BBOXX Home 2 PCB (Tiger 7)",
            part_type_category_id=pcb_category.part_type_category_id,
            serial_number_category="known",
        )
    )
    db.commit()
    tiger7 = db.scalar(select(PartType.part_type_id).where(PartType.name.like("%Tiger 7%")))
    r = client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(pcb_part_type_id=tiger7), headers=factory)
    assert r.status_code == 200 and r.json()["data"]["pcb"]["part_type_id"] == tiger7
    assert db.scalar(select(func.count()).select_from(Part)) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("imei", "12345"),
        ("imei", 10101234560005),
        ("imsi", "abc"),
        ("device_key", "short"),
        ("device_key", "has space in it"),
        ("iccid", "12"),
        ("manufacturer", "x" * 256),
        ("sim_part_type_id", "43"),
        ("colour", "red"),
    ],
)
def test_bad_fields_are_400_naming_them(client, db, factory, field, value):
    r = client.post("/v1/parts/create_hyena_pcb", json=pcb_payload(**{field: value}), headers=factory)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation_errors"]
    assert db.scalar(select(func.count()).select_from(Part)) == 0


@pytest.mark.parametrize(
    "clash",
    [
        {"imei": "010101234500001"},
        {"imsi": "213514135100001"},
        {"iccid": "66685607592181745482"},
    ],
)
def test_a_taken_imei_imsi_or_iccid_is_409_and_writes_nothing(client, db, factory, clash):
    first = pcb_payload(1, iccid="66685607592181745482")
    assert client.post("/v1/parts/create_tiger_pcb", json=first, headers=factory).status_code == 200
    parts, serials = (db.scalar(select(func.count()).select_from(m)) for m in (Part, Serial))
    second = pcb_payload(2) | clash
    r = client.post("/v1/parts/create_koala_pcb", json=second, headers=factory)
    assert r.status_code == 409, r.text
    assert set(r.json()["validation_errors"]) == set(clash)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Part)) == parts
    assert db.scalar(select(func.count()).select_from(Serial)) == serials


def test_the_same_request_twice_creates_one_pcb(client, db, factory):
    assert client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(), headers=factory).status_code == 200
    assert client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(), headers=factory).status_code == 409
    assert db.scalar(select(func.count()).select_from(Part)) == 2


@pytest.mark.parametrize("level", [Permission.OVERVIEW, Permission.ADMIN])
def test_only_factory_users_and_above_create(client, db, factory, level):
    r = client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(), headers=auth_headers(db, level))
    assert r.status_code == 403
    assert client.post("/v1/parts/create_tiger_pcb", json=pcb_payload()).status_code == 401
    system = auth_headers(db, Permission.SYSTEM)
    assert client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(), headers=system).status_code == 200
