"""set_dcm_enabled_flag (BP20 refuse change) and set_is_payg: messages, validation, permission, scope."""

from __future__ import annotations

from db.models.product import Product
from domain.permissions import Permission, Scope
from tests.utils.factories import auth_headers, make_entity, make_product, make_product_type


def flags(db, imei: str) -> tuple[bool, bool]:
    db.expire_all()
    product = db.get(Product, imei)
    return product.dcm_enabled_flag, product.is_payg


def test_set_dcm_enabled_flag(client, db):
    product = make_product(db, product_type=make_product_type(db, "BP50"))
    imei = product.product_imei
    tech = auth_headers(db, Permission.TECHNICAL)
    r = client.put(f"/v1/products/{imei}/set_dcm_enabled_flag", json={"enabled": True}, headers=tech)
    assert r.json() == {
        "status": "success",
        "message": f"Product {imei}. DCM Enabled Flag set to True",
        "data": None,
    }
    assert flags(db, imei) == (True, True)
    r = client.put(f"/v1/products/{imei}/set_dcm_enabled_flag", json={"enabled": False}, headers=tech)
    assert r.json()["message"] == f"Product {imei}. DCM Enabled Flag set to False"
    assert flags(db, imei) == (False, True)
    for body in ({"enabled": "yes"}, {}, {"enabled": True, "x": 1}):
        r = client.put(f"/v1/products/{imei}/set_dcm_enabled_flag", json=body, headers=tech)
        assert r.status_code == 400 and r.json()["status"] == "validation-error"
    assert (
        client.put(
            f"/v1/products/{imei}/set_dcm_enabled_flag",
            json={"enabled": True},
            headers=auth_headers(db, Permission.OVERVIEW),
        ).status_code
        == 403
    )
    assert flags(db, imei) == (False, True)


def test_bp20_units_refuse_the_change(client, db):
    product = make_product(db, product_type=make_product_type(db, "BBOXX BP20 v2"), dcm_enabled_flag=True)
    tech = auth_headers(db, Permission.TECHNICAL)
    r = client.put(
        f"/v1/products/{product.product_imei}/set_dcm_enabled_flag", json={"enabled": False}, headers=tech
    )
    assert r.status_code == 400
    assert "BP20 devices are DCM enabled by default and cannot be modified" in r.json()["message"]
    assert flags(db, product.product_imei) == (True, True)


def test_set_is_payg(client, db):
    product = make_product(db)
    imei = product.product_imei
    tech = auth_headers(db, Permission.TECHNICAL)
    r = client.put(f"/v1/products/{imei}/set_is_payg", json={"is_payg": False}, headers=tech)
    assert r.json() == {
        "status": "success",
        "message": f"is_payg for the Product {imei}, has been set to=False",
        "data": None,
    }
    assert flags(db, imei) == (False, False)
    assert (
        client.put(f"/v1/products/{imei}/set_is_payg", json={"is_payg": 1}, headers=tech).status_code == 400
    )
    assert (
        client.put(
            "/v1/products/999999999999999/set_is_payg", json={"is_payg": True}, headers=tech
        ).status_code
        == 404
    )
    theirs, mine = make_entity(db), make_entity(db)
    other = make_product(db, entity=theirs)
    entity_tech = auth_headers(db, Permission.TECHNICAL, scope=Scope.ENTITY, entity_id=mine.entity_id)
    for action, body in (("set_is_payg", {"is_payg": False}), ("set_dcm_enabled_flag", {"enabled": True})):
        assert (
            client.put(
                f"/v1/products/{other.product_imei}/{action}", json=body, headers=entity_tech
            ).status_code
            == 404
        )
    assert flags(db, other.product_imei) == (False, True)
