"""The table API cannot bypass the lifecycle: owned product columns are refused, naming the endpoint."""

from __future__ import annotations

import pytest

from db.models.product import Product
from domain.device.unit_protocol import device_key_digest
from domain.tables.ownership import OWNED_COLUMNS
from tests.utils.factories import make_product


@pytest.mark.parametrize(
    ("column", "value", "endpoint"),
    [
        ("desired_enable_flag", True, "/enable"),
        ("current_enable_flag", True, "/v1/rc_data"),
        ("desired_tamper_flag", True, "/enable_tamper_switch"),
        ("latest_state_id", 1, "/change_state"),
        ("software_lock", 1, "/lock_software"),
        ("latest_enable_history_id", 1, "/enable"),
    ],
)
def test_a_change_to_an_owned_column_is_400_naming_the_endpoint(api, db, system, column, value, endpoint):
    product = make_product(db)
    r = api.put(
        f"/v1/products/{product.product_imei}", json={column: value, "assembler": "x"}, headers=system
    )
    assert r.status_code == 400, r.text
    assert r.json()["status"] == "validation-error"
    assert endpoint in r.json()["validation_errors"][column]
    db.expire_all()
    assert db.get(Product, product.product_imei).assembler is None  # nothing written


def test_putting_back_what_was_read_is_accepted(api, db, system):
    product = make_product(db)
    read = api.get(f"/v1/products/{product.product_imei}", headers=system).json()
    owned = {k: read[k] for k in OWNED_COLUMNS["product"] if k in read}
    r = api.put(f"/v1/products/{product.product_imei}", json=owned | {"assembler": "Ada"}, headers=system)
    assert r.status_code == 200, r.text
    assert r.json()["assembler"] == "Ada"


def test_a_device_key_is_stored_as_its_digest_and_must_look_like_one(api, db, system):
    product = make_product(db)
    r = api.put(f"/v1/products/{product.product_imei}", json={"device_key": "bad key"}, headers=system)
    assert r.status_code == 400 and "device_key" in r.json()["validation_errors"]
    r = api.put(f"/v1/products/{product.product_imei}", json={"device_key": "N3w-device-key"}, headers=system)
    assert r.status_code == 200
    db.expire_all()
    assert db.get(Product, product.product_imei).device_key == device_key_digest("N3w-device-key")
