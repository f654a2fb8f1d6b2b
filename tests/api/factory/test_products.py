"""`/products/create_product/<kind>`, `/products/create_hub2`, `/create_enterprise`: the doc's answers,
the rows each writes, the unit logging in with its key at once, 400s and 409s that write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models.history import State
from db.models.parts import Part, PartProductLinker, PartType, PartTypeCategory
from db.models.product import Product, ProductEntityLinker
from domain.device.unit_protocol import device_key_digest
from domain.factory.serials import is_valid
from tests.api.factory.conftest import pcb_payload, unit_logs_in
from tests.utils.response_schema import assert_conforms

ROW_MODELS = (Part, Product, PartProductLinker, ProductEntityLinker, State)


def counts(db) -> dict:
    db.expire_all()
    return {m.__name__: db.scalar(select(func.count()).select_from(m)) for m in ROW_MODELS}


@pytest.fixture
def battery_type(db, factory) -> int:
    category = PartTypeCategory(name="Battery")
    db.add(category)
    db.flush()
    battery = PartType(
        name="LiFePO4 6.4V 10Ah",
        part_type_category_id=category.part_type_category_id,
        serial_number_category="known",
    )
    db.add(battery)
    db.commit()
    return battery.part_type_id


def test_create_hub2_in_one_call_answers_the_docs_shape_and_the_unit_logs_in(client, db, factory):
    payload = pcb_payload() | {"product": {"assembler": "Assembly House 1"}}
    r = client.post("/v1/products/create_hub2", json=payload, headers=factory)
    assert r.status_code == 200, r.text
    body = assert_conforms(r, "/v1/products/create_hub2")
    data = body["data"]
    serial = data["product"]["serial_number"]
    assert body["message"] == f"Hub2Product: {serial} - ({payload['imei']}) created."
    assert serial.startswith("HB") and is_valid(serial)
    assert data["product"] == {
        "device_key": payload["device_key"],
        "imsi": payload["imsi"],
        "product_imei": payload["imei"],
        "product_type_id": 7,
        "serial_number": serial,
        "assembler": "Assembly House 1",
    }
    assert data["pcb"] == {"part_id": data["pcb"]["part_id"], "part_type_id": 77, "serial": payload["imei"]}
    assert data["sim"] == {"imsi": payload["imsi"], "part_id": data["sim"]["part_id"], "part_type_id": 43}
    assert "battery" not in data

    db.expire_all()
    product = db.get(Product, payload["imei"])
    assert product.device_key == device_key_digest(payload["device_key"])
    assert (product.current_enable_flag, product.desired_enable_flag, product.is_payg) == (False, False, True)
    linked = set(
        db.scalars(
            select(PartProductLinker.part_id).where(PartProductLinker.product_imei == product.product_imei)
        )
    )
    assert linked == {data["pcb"]["part_id"], data["sim"]["part_id"]}
    state = db.get(State, product.latest_state_id)
    assert (state.prev_state_type, state.current_state_type) == (1, 2)  # NON_EXISTANT -> STORED
    entities = db.scalars(
        select(ProductEntityLinker.entity_id).where(ProductEntityLinker.product_imei == product.product_imei)
    )
    assert list(entities) == [1]  # Unknown Entity

    # The key set by the factory authenticates the unit at once; a wrong one does not.
    assert unit_logs_in(client, db, payload["imei"], payload["device_key"]) == 200
    assert unit_logs_in(client, db, payload["imei"], "wrong-key-123") == 401


def test_create_product_home2_from_a_tiger_pcb_takes_its_serial(client, db, factory, battery_type):
    pcb = client.post("/v1/parts/create_tiger_pcb", json=pcb_payload(), headers=factory).json()["data"]["pcb"]
    payload = {
        "pcb_imei": pcb["serial_number"],
        "battery": {"part_type_id": battery_type, "serial_number": "BC4pDRSReEFnMHzHARHI7Gr9"},
        "product": {"assembler": "Assembly House 1"},
    }
    r = client.post("/v1/products/create_product/home2", json=payload, headers=factory)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    serial = pcb["properties"]["serial_number"]
    assert r.json()["message"] == f"Home2Product: {serial} - ({pcb['serial_number']}) created."
    assert data["product"]["serial_number"] == serial and data["product"]["product_type_id"] == 6
    assert data["product"]["device_key"] is None  # only its digest is kept since the PCB was created
    assert data["pcb"] == {"part_id": pcb["part_id"], "part_type_id": 44, "serial": pcb["serial_number"]}
    assert (
        data["battery"]["part_type_id"] == battery_type
        and data["battery"]["serial"] == "BC4pDRSReEFnMHzHARHI7Gr9"
    )
    assert unit_logs_in(client, db, pcb["serial_number"], pcb_payload()["device_key"]) == 200

    # The PCB is used now: 400, nothing written.
    before = counts(db)
    payload["battery"]["serial_number"] = "another-battery"
    r = client.post("/v1/products/create_product/home2", json=payload, headers=factory)
    assert r.status_code == 400 and "pcb_imei" in r.json()["validation_errors"]
    assert counts(db) == before


def test_create_product_home3_answers_the_docs_detailed_shape(client, db, factory, battery_type):
    payload = pcb_payload(iccid="66685607592181745482")
    client.post("/v1/parts/create_jackal_pcb", json=payload, headers=factory)
    r = client.post(
        "/v1/products/create_product/home3",
        json={"pcb_imei": payload["imei"], "battery": {"part_type_id": battery_type, "serial_number": "B-1"}},
        headers=factory,
    )
    assert r.status_code == 200, r.text
    assert assert_conforms(r, "/v1/products/create_product/home3")["message"] == (
        "new Home3 product successfully created."
    )
    data = r.json()["data"]
    assert set(data["product"]) == {
        "device_key",
        "iccid",
        "imei",
        "imsi",
        "product_imei",
        "product_type_id",
        "serial_number",
    }
    assert data["product"]["iccid"] == "66685607592181745482" and data["product"]["product_type_id"] == 10
    assert data["pcb"]["part_type_id"] == 158
    assert data["pcb"]["properties"]["erp_code_override"] == "PA04010102"
    assert data["pcb"]["properties"]["serial_number"] == data["product"]["serial_number"]
    assert data["sim"]["serial_number"] == "66685607592181745482"
    assert data["battery"] == {
        "part_id": data["battery"]["part_id"],
        "part_type_id": battery_type,
        "serial_number": "B-1",
    }


def test_create_enterprise_in_one_call_with_battery_and_wattage(client, db, factory, battery_type):
    payload = pcb_payload() | {
        "battery": {"part_type_id": battery_type, "serial_number": "BC4pDRSReEFnMHzHARHI7Gr9"},
        "solar_panel_wattage": 100,
        "product": {"assembler": "Assembly House 1"},
    }
    r = client.post("/v1/products/create_enterprise", json=payload, headers=factory)
    assert r.status_code == 200, r.text
    assert_conforms(r, "/v1/products/create_enterprise")
    data = r.json()["data"]
    assert r.json()["message"].startswith("EnterpriseProduct: ")
    assert data["product"]["product_type_id"] == 4 and data["product"]["device_key"] == payload["device_key"]
    assert data["pcb"]["part_type_id"] == 77
    db.expire_all()
    assert db.get(Product, payload["imei"]).solar_panel_wattage == 100


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "home2",
            {"pcb_imei": "999999999999999", "battery": {"part_type_id": 1, "serial_number": "B"}},
            "pcb_imei",
        ),
        ("home2", {"pcb_imei": "IMEI"}, "battery"),
        (
            "home2",
            {"pcb_imei": "IMEI", "battery": {"part_type_id": 99999, "serial_number": "B"}},
            "battery.part_type_id",
        ),
        ("hub2", {"pcb_imei": "IMEI", "battery": {"part_type_id": 43, "serial_number": "B"}}, "battery"),
        ("hub2", {"pcb_imei": "IMEI", "solar_panel_wattage": 100}, "solar_panel_wattage"),
        ("hub2", {"pcb_imei": "IMEI", "product": {"serial_number": "mine"}}, "product.serial_number"),
    ],
)
def test_create_product_refuses_bad_input_and_writes_nothing(client, db, factory, path, body, field):
    imei = pcb_payload()["imei"]
    client.post("/v1/parts/create_hyena_pcb", json=pcb_payload(), headers=factory)
    before = counts(db)
    body = {k: (imei if v == "IMEI" else v) for k, v in body.items()}
    r = client.post(f"/v1/products/create_product/{path}", json=body, headers=factory)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation_errors"]
    assert counts(db) == before


def test_a_taken_battery_serial_is_409_and_the_pcb_stays_unused(client, db, factory, battery_type):
    battery = {"part_type_id": battery_type, "serial_number": "B-TAKEN"}
    client.post("/v1/products/create_enterprise", json=pcb_payload(1) | {"battery": battery}, headers=factory)
    before = counts(db)
    r = client.post(
        "/v1/products/create_enterprise", json=pcb_payload(2) | {"battery": battery}, headers=factory
    )
    assert r.status_code == 409 and "battery.serial_number" in r.json()["validation_errors"]
    assert counts(db) == before  # not even the PCB of the one-call request


def test_a_taken_imei_in_a_one_call_create_is_409(client, db, factory):
    assert client.post("/v1/products/create_hub2", json=pcb_payload(1), headers=factory).status_code == 200
    before = counts(db)
    r = client.post(
        "/v1/products/create_hub2", json=pcb_payload(2) | {"imei": pcb_payload(1)["imei"]}, headers=factory
    )
    assert r.status_code == 409 and set(r.json()["validation_errors"]) == {"imei"}
    assert counts(db) == before
