"""A device key set by the factory or by `PUT /v1/products/<imei>` opens a real RC-GET at once."""

from __future__ import annotations

from domain.permissions import Permission
from tests.api.factory.conftest import pcb_payload
from tests.utils.factories import auth_headers, reference_data


async def test_keys_set_either_way_authenticate_the_units_rc_get(stack, db):
    reference_data(db)
    factory, system = auth_headers(db, Permission.FACTORY), auth_headers(db, Permission.SYSTEM)
    payload = pcb_payload(7)
    r = await stack.http.post("/v1/products/create_hub2", json=payload, headers=factory)
    assert r.status_code == 200, r.text
    imei, key = payload["imei"], payload["device_key"]

    rc_get = await stack.http.get("/v1/rc_data", auth=(imei, key))
    assert rc_get.status_code == 200, rc_get.text
    assert rc_get.json()["enable_flag"] is False

    r = await stack.http.put(f"/v1/products/{imei}", json={"device_key": "R3placed-key"}, headers=system)
    assert r.status_code == 200 and "R3placed-key" not in r.text
    assert (await stack.http.get("/v1/rc_data", auth=(imei, "R3placed-key"))).status_code == 200
    assert (await stack.http.get("/v1/rc_data", auth=(imei, key))).status_code == 401
