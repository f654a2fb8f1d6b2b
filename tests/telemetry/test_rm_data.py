"""A simulated unit posts its readings (rm_data) with each connection; they read back as product data."""

from __future__ import annotations

import httpx
import pytest

from core.settings import get_settings
from domain.errors import ValidationFailed
from domain.permissions import Permission
from domain.telemetry.service import open_store, write_readings
from simulator.unit import SimulatedUnit
from tests.utils.factories import auth_headers, make_product, make_software


async def test_simulated_unit_posts_telemetry(app, db, store_backend, clock):
    product = make_product(db)
    make_software(db, "3.6")
    headers = auth_headers(db, Permission.OVERVIEW)
    unit = SimulatedUnit(product.product_imei, product.raw_device_key)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        await unit.post_telemetry(http, clock.now)
        clock.advance(hours=2)
        await unit.post_telemetry(http, clock.now)
        r = await http.get(f"/v1/products/{product.product_imei}/data", headers=headers)
    assert unit.errors == [], unit.errors
    data = r.json()["data"]
    assert len(data["voltage"]) == 2 * unit.readings_per_post
    assert all(11.0 <= v <= 14.5 for v, _ in data["voltage"])
    assert {"current", "temperature", "state_of_charge_percent"} <= set(data)


def test_rtc_readings_are_written_as_points(client, db, store_backend, clock):
    product = make_product(db)
    store = open_store(get_settings(), db)
    readings = [{"battery_voltage": 12.9, "time": 1472688000}, {"battery_voltage": 13.1}]
    assert write_readings(store, product.product_imei, readings, clock.now) == 2
    db.commit()
    r = client.get(
        f"/v1/products/{product.product_imei}/data",
        params={"start": "2016-01-01", "fields": "battery_voltage"},
        headers=auth_headers(db, Permission.OVERVIEW),
    )
    assert [v for v, _ in r.json()["data"]["battery_voltage"]] == [12.9, 13.1]
    with pytest.raises(ValidationFailed):
        write_readings(store, product.product_imei, [{"battery_voltage": "high", "time": 1}], clock.now)
