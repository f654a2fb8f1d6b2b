"""The unit protocol: HTTP Basic as imei/device_key, RC-POST records the connection, RM-POST validates."""

from __future__ import annotations

from sqlalchemy import select

from db.models.history import Connection
from db.models.product import Product
from db.models.software import ProductSoftwareLinker
from tests.utils.factories import make_product, make_software, unit_auth

REPORT = {
    "enable_flag": True,
    "tamper_flag": False,
    "software": "3.6",
    "mcc": 639,
    "mnc": 2,
    "latitude": "-0.400234",
    "longitude": "34.599241",
    "error_radius": 1251,
    "cells": [{"lac": 1, "cid": 2, "signal": -70}, {"lac": 3, "cid": 4}],
}


def test_rc_post_records_connection_flags_and_software(client, db):
    unit = make_product(db)
    make_software(db, "3.6")
    make_software(db, "3.7")
    r = client.post("/v1/rc_data", json=REPORT, auth=unit_auth(unit))
    assert r.status_code == 200, r.text
    connection_id = r.json()["data"]["connection_id"]
    db.expire_all()
    product = db.get(Product, unit.product_imei)
    assert product.latest_connection_id == connection_id
    assert product.current_enable_flag is True and product.current_tamper_flag is False
    connection = db.get(Connection, connection_id)
    assert (connection.mcc, connection.cell_1_signal, connection.cell_2_cid, connection.cell_3_lac) == (
        639,
        -70,
        4,
        None,
    )
    assert connection.location_failed_flag is False and connection.latitude == "-0.400234"

    # Same software again: no new link. New software: the old link closes, a new one opens.
    client.post("/v1/rc_data", json=REPORT, auth=unit_auth(unit))
    client.post("/v1/rc_data", json=REPORT | {"software": "3.7"}, auth=unit_auth(unit))
    links = db.scalars(
        select(ProductSoftwareLinker)
        .where(ProductSoftwareLinker.product_imei == unit.product_imei)
        .order_by(ProductSoftwareLinker.product_software_linker_id)
    ).all()
    assert [(link.date_removed is None) for link in links] == [False, True]
    assert len(db.scalars(select(Connection).where(Connection.product_imei == unit.product_imei)).all()) == 3


def test_units_authenticate_with_their_own_key(client, db):
    unit = make_product(db)
    other = make_product(db)
    make_software(db, "3.6")
    assert client.post("/v1/rc_data", json=REPORT).status_code == 401
    assert client.post("/v1/rc_data", json=REPORT, auth=(unit.product_imei, "wrong")).status_code == 401
    # Another unit's key does not open this one.
    assert (
        client.post("/v1/rc_data", json=REPORT, auth=(unit.product_imei, other.raw_device_key)).status_code
        == 401
    )
    # An unknown imei answers exactly as a wrong key, so the endpoints do not tell which imeis exist.
    wrong = client.post("/v1/rc_data", json=REPORT, auth=(unit.product_imei, "x"))
    for method, path in (("post", "/v1/rc_data"), ("get", "/v1/rc_data"), ("post", "/v1/rm_data")):
        kwargs = {"json": REPORT} if method == "post" else {}
        unknown = getattr(client, method)(path, auth=("123456789012345", "x"), **kwargs)
        assert (unknown.status_code, unknown.json()) == (401, wrong.json()), path
    # Only a digest of the key is stored.
    assert db.get(Product, unit.product_imei).device_key != unit.raw_device_key


def test_bad_reports_are_400_and_write_nothing(client, db):
    unit = make_product(db)
    for body in (
        {"enable_flag": True},
        REPORT | {"enable_flag": "maybe"},
        REPORT | {"software": "no-such-version"},
        REPORT | {"cells": [{"lac": 1, "bogus": 2}]},
    ):
        r = client.post("/v1/rc_data", json=body, auth=unit_auth(unit))
        assert r.status_code == 400, body
        assert r.json()["status"] == "validation-error"
    assert db.scalars(select(Connection)).all() == []


def test_rm_data_takes_the_product_data_body(client, db):
    unit = make_product(db)
    body = {"fields": {"voltage": [["2026-01-01T00:00:00", 12.1]]}}
    r = client.post("/v1/rm_data", json=body, auth=unit_auth(unit))
    assert r.status_code == 200 and r.json()["message"] == "1 data-point(s) successfully written"
    assert client.post("/v1/rm_data", json={"fields": {}}, auth=unit_auth(unit)).status_code == 400
    assert client.post("/v1/rm_data", json={"nope": 1}, auth=unit_auth(unit)).status_code == 400
    assert client.post("/v1/rm_data", json=body).status_code == 401
