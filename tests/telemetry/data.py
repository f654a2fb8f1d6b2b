"""The doc's example data set and the calls the telemetry tests make."""

from __future__ import annotations


def write(client, unit, headers, body):
    return client.post(f"/v1/products/{unit.product_imei}/data", json=body, headers=headers)


def read(client, unit, headers, **params):
    r = client.get(f"/v1/products/{unit.product_imei}/data", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["data"]


DATASET = {  # the doc's "Reading data for a Product" example, 4-hourly
    "current": [1.234, 2.234, 3.234, 1.234, 2.345, 2.678, 2.910, 2.345, 2.678, 2.910, 2.345, 2.678, 2.910],
    "voltage": [
        14.243,
        14.723,
        14.826,
        13.284,
        12.345,
        12.678,
        12.910,
        12.345,
        12.678,
        12.910,
        12.345,
        12.678,
        12.91,
    ],
    "temperature": [
        21.345,
        None,
        21.345,
        None,
        21.345,
        None,
        21.910,
        None,
        21.678,
        None,
        21.345,
        None,
        21.91,
    ],
}
T0 = 1451606400000  # 2016-01-01T00:00:00Z
