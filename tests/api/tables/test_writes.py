"""Writes through the table API: per-field 400s for types, options, nulls, unknown fields and
missing parents, 409 for taken unique values and rows still referred to, system-set columns
ignored, secrets never returned, and nothing half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models.alert import Subscriber
from db.models.history import Network
from db.models.organisation import Entity
from db.models.product import Product
from domain.device.unit_protocol import device_key_digest
from tests.api.tables.rows import make_row
from tests.utils.factories import make_product


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def errors_of(response, status=400) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status", "message", "validation_errors", "data"}
    return body["validation_errors"]


def test_unknown_fields_are_listed(api, db, system):
    errors = errors_of(
        api.post("/v1/networks", json={"name": "n", "colour": "red", "size": 3}, headers=system)
    )
    assert set(errors) == {"colour", "size"}
    assert count(db, Network) == 0


def test_wrong_types_are_reported_per_field(api, db, system):
    response = api.post("/v1/networks", json={"name": 5, "mcc": "not a number", "mnc": 2**40}, headers=system)
    assert set(errors_of(response)) == {"name", "mcc", "mnc"}
    assert response.json()["status"] == "validation-error"
    too_long = api.post("/v1/hubs", json={"name": "h", "entity_id": 1, "latitude": "x" * 13}, headers=system)
    assert "latitude" in errors_of(too_long)
    bad_date = api.post(
        "/v1/software_version_types", json={"name": "s", "release_date": "soon"}, headers=system
    )
    assert "release_date" in errors_of(bad_date)
    assert (
        api.post(
            "/v1/networks", content=b"{not json", headers={**system, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert api.post("/v1/networks", json=[1, 2], headers=system).status_code == 400
    # NUL never reaches a table: the input gate refuses it wherever it is sent.
    assert "body" in errors_of(api.post("/v1/networks", json={"name": "a\u0000b"}, headers=system))
    assert api.get("/v1/products/a%00b", headers=system).status_code == 400


def test_enum_options_are_named(api, system):
    errors = errors_of(
        api.post("/v1/product_types", json={"name": "t", "credit_type": "test"}, headers=system)
    )
    assert "'gas'" in errors["credit_type"] and "'time'" in errors["credit_type"]


def test_not_null_columns(api, db, system):
    assert "name" in errors_of(api.post("/v1/networks", json={"mcc": 1}, headers=system))
    network = make_row(db, Network, name="n")
    assert "name" in errors_of(api.put(f"/v1/networks/{network.mccmnc}", json={"name": None}, headers=system))
    # A nullable column may be cleared.
    cleared = api.put(f"/v1/networks/{network.mccmnc}", json={"mcc": None}, headers=system)
    assert cleared.status_code == 200 and cleared.json()["mcc"] is None


def test_unique_values_answer_409(api, db, system):
    api.post("/v1/entities", json={"name": "Acme", "bboxx_company_flag": False}, headers=system)
    errors = errors_of(
        api.post("/v1/entities", json={"name": "Acme", "bboxx_company_flag": True}, headers=system), 409
    )
    assert "name" in errors
    other = make_row(db, Entity, name="Other")
    assert "name" in errors_of(
        api.put(f"/v1/entities/{other.entity_id}", json={"name": "Acme"}, headers=system), 409
    )
    # Saving a row with its own unique value is not a conflict.
    assert (
        api.put(f"/v1/entities/{other.entity_id}", json={"name": "Other"}, headers=system).status_code == 200
    )
    assert count(db, Entity) == 2


def test_missing_parents_are_reported_per_field(api, db, system):
    response = api.post("/v1/hubs", json={"name": "h", "entity_id": 4242}, headers=system)
    assert "entity_id" in errors_of(response)
    assert response.json()["status"] == "validation-error"


def test_system_set_columns_are_ignored(api, db, system):
    sent = {
        "name": "n",
        "mccmnc": 777,
        "created_at": "2000-01-01T00:00:00",
        "created_by": "mallory",
        "modified_by": "x",
    }
    created = api.post("/v1/networks", json=sent, headers=system)
    assert created.status_code == 201
    body = created.json()
    assert (
        body["mccmnc"] != 777
        and body["created_by"] != "mallory"
        and body["created_at"] != "2000-01-01T00:00:00"
    )
    assert body["modified_at"] is None and body["modified_by"] is None
    changed = api.put(
        f"/v1/networks/{body['mccmnc']}", json={"mccmnc": 999, "name": "m", "created_by": "x"}, headers=system
    )
    assert changed.json()["mccmnc"] == body["mccmnc"] and changed.json()["created_by"] == body["created_by"]
    assert changed.json()["modified_at"] is not None


def test_client_keys_for_string_primary_keys(api, system):
    created = api.post("/v1/channels", json={"name": "product-status"}, headers=system)
    assert created.status_code == 201 and created.json()["name"] == "product-status"
    assert api.get("/v1/channels/product-status", headers=system).status_code == 200
    assert "name" in errors_of(api.post("/v1/channels", json={"name": "product-status"}, headers=system), 409)
    assert "name" in errors_of(api.post("/v1/channels", json={}, headers=system))


def test_delete_of_a_row_still_referred_to_is_409_and_keeps_it(api, db, system):
    product = make_product(db)
    response = api.delete(f"/v1/product_types/{product.product_type_id}", headers=system)
    assert response.status_code == 409
    assert api.get(f"/v1/product_types/{product.product_type_id}", headers=system).status_code == 200


def test_secrets_are_never_returned(api, db, system):
    make_row(db, "channel", name="dcm")
    make_row(db, Subscriber, channel_name="dcm", url="https://example.com/hook", key="s3cret-key")
    product = make_product(db, device_key="dev1ce-key")
    responses = [
        api.get("/v1/subscribers", headers=system),
        api.get("/v1/subscribers/1", headers=system),
        api.get("/v1/products", headers=system),
        api.get(f"/v1/products/{product.product_imei}", headers=system),
        api.put(
            f"/v1/products/{product.product_imei}", json={"device_key": "new-dev1ce-key"}, headers=system
        ),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        assert "s3cret-key" not in response.text and "dev1ce-key" not in response.text
        assert '"key"' not in response.text and "device_key" not in response.text
    # device_key is write-only: the PUT stored it.
    db.expire_all()
    assert db.get(Product, product.product_imei).device_key == device_key_digest("new-dev1ce-key")


def test_product_post_is_not_allowed_but_put_works(api, db, system):
    assert api.post("/v1/products", json={}, headers=system).status_code == 405
    product = make_product(db)
    changed = api.put(
        f"/v1/products/{product.product_imei}", json={"assembler": "Ada", "gps_lat": 1.5}, headers=system
    )
    assert changed.status_code == 200
    assert (changed.json()["assembler"], changed.json()["gps_lat"]) == ("Ada", 1.5)


def test_action_routes_under_table_prefixes_never_reach_item_routes(api, system):
    # Integer keys use the int convertor: a word after /repairs/ is not a repair id.
    response = api.get("/v1/repairs/list_current_states_typo", headers=system)
    assert response.status_code == 404
    assert api.get("/v1/repairs/2147483648000", headers=system).status_code == 404


def test_json_and_binary_columns(api, db, system):
    created = api.post("/v1/product_types", json={"name": "t", "parameter_types": [1, 2, 3]}, headers=system)
    assert created.status_code == 201 and created.json()["parameter_types"] == [1, 2, 3]
    unit = make_product(db)
    make_row(db, "rtc_mo_message_history", product_imei=unit.product_imei, message_bin=b"\x00\xff")
    row = api.get("/v1/rtc_mo_message_history", headers=system).json()["objects"][0]
    assert row["message_bin"] == "AP8="  # base64
