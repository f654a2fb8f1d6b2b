"""POST and GET /v1/products/<imei>/data, the same behaviour on the embedded store and on InfluxDB."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.settings import get_settings
from db.models.telemetry import telemetry_point
from domain.permissions import Permission, Scope
from domain.telemetry.service import open_store, prepare_store
from tests.telemetry.data import T0, read, write
from tests.utils.factories import auth_headers, make_entity, make_product

DOC_BODY = {
    "measurement": "telemetry",
    "tags": {"some_tag": "tag_value"},
    "fields": {
        "current": [[1472688000000, 1.0], [1472774400000, 2.0], [1472860800000, 3.0]],
        "voltage": [["2016-09-01T00:00:00Z", 10.0], ["2016-09-02 00:00:00", 20.0], ["2016-09-03", 30.0]],
        "temperature": [
            ["Thu, September 1st 2016", 0.1],
            ["Fri, September 2nd 2016", 0.2],
            ["Sat, September 3rd 2016", 0.3],
        ],
    },
}
SEPT = {"start": "2016-08-31", "end": "2016-09-30"}


def test_every_timestamp_form_lands_on_the_same_days(client, db, store_backend, unit, headers):
    r = write(client, unit, headers, DOC_BODY)
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "9 data-point(s) successfully written"
    data = read(client, unit, headers, **SEPT)
    days = ["2016-09-01T00:00:00Z", "2016-09-02T00:00:00Z", "2016-09-03T00:00:00Z"]
    assert data["measurement"] == "telemetry"
    assert data["tags"] == {"product_imei": unit.product_imei}
    assert data["current"] == [[1.0, days[0]], [2.0, days[1]], [3.0, days[2]]]
    assert data["voltage"] == [[10.0, days[0]], [20.0, days[1]], [30.0, days[2]]]
    assert data["temperature"] == [[0.1, days[0]], [0.2, days[1]], [0.3, days[2]]]


def test_nanoseconds_and_zones(client, db, store_backend, unit, headers):
    body = {
        "fields": {
            "current": [["2016-09-01 10:00:00.123456789", 1], ["2016-09-01T12:00:00+02:00", 2]],
            "pulse_count": [["2016-09-01T10:00:00.123456789Z", 7.0]],
        }
    }
    assert write(client, unit, headers, body).status_code == 200
    data = read(client, unit, headers, **SEPT)
    assert data["current"] == [[2.0, "2016-09-01T10:00:00Z"], [1.0, "2016-09-01T10:00:00.123456789Z"]]
    assert data["pulse_count"] == [[None, "2016-09-01T10:00:00Z"], [7, "2016-09-01T10:00:00.123456789Z"]]


@pytest.mark.parametrize(
    "body, named",
    [
        ({"fields": {"current": [[1472688000000, 1.0], ["not a date", 2.0]]}}, "fields.current[1]"),
        ({"fields": {"current": [[1472688000000, 1.0], [1472688000001, "high"]]}}, "fields.current[1]"),
        (
            {"fields": {"current": [[1472688000000, 1.0]], "pulse_count": [[1472688000000, 1.5]]}},
            "pulse_count",
        ),
        ({"fields": {"current": [[1472688000000]]}}, "fields.current[0]"),
        ({"tags": {"bad tag!": "x"}, "fields": {"current": [[1472688000000, 1.0]]}}, "bad tag!"),
        ({"tags": {"site2": "x"}, "fields": {"current": [[1472688000000, 1.0]]}}, "site2"),
        ({"tags": {"product_imei": "999"}, "fields": {"current": [[1472688000000, 1.0]]}}, "product_imei"),
        ({"measurement": "bad name;", "fields": {"current": [[1472688000000, 1.0]]}}, "bad name;"),
        ({"fields": {"current": []}}, "No data-points"),
    ],
)
def test_a_bad_point_refuses_the_whole_request(client, db, store_backend, unit, headers, body, named):
    r = write(client, unit, headers, body)
    assert r.status_code == 400, r.text
    assert named in r.json()["message"] + json.dumps(r.json()["validation_errors"])
    assert read(client, unit, headers, start="2016-01-01") == {
        "measurement": "telemetry",
        "tags": {"product_imei": unit.product_imei},
    }


def test_field_types_stay_what_they_were(client, db, store_backend, unit, headers):
    first = {
        "measurement": "logging",
        "fields": {"note": [[1472688000000, "booted"]], "n": [[1472688000000, 1]]},
    }
    assert write(client, unit, headers, first).status_code == 200
    clash = {"measurement": "logging", "fields": {"n": [[1472688001000, 2]], "note": [[1472688001000, 3]]}}
    assert write(client, unit, headers, clash).status_code == 400
    data = read(client, unit, headers, measurement="logging", **SEPT)
    assert data["note"] == [["booted", "2016-09-01T00:00:00Z"]] and data["n"] == [
        [1.0, "2016-09-01T00:00:00Z"]
    ]


def test_tags_are_stored_and_filter(client, db, store_backend, unit, headers):
    general = {
        "measurement": "analysis",
        "tags": {"analysis-type": "state-of-health", "product_imei": unit.product_imei},
        "fields": {"curve-data": [["2016-01-01T00:01:20", 1], ["2016-01-01T00:01:21", 2]]},
    }
    other = {
        "measurement": "analysis",
        "tags": {"analysis-type": "other"},
        "fields": {"curve-data": [["2016-01-01T00:01:22", 9]]},
    }
    assert write(client, unit, headers, general).json()["message"] == "2 data-point(s) successfully written"
    assert write(client, unit, headers, other).status_code == 200
    everything = read(client, unit, headers, measurement="analysis", start="2016-01-01")
    assert [v for v, _ in everything["curve-data"]] == [1.0, 2.0, 9.0]
    tagged = read(
        client,
        unit,
        headers,
        measurement="analysis",
        start="2016-01-01",
        tags=json.dumps({"analysis-type": "other"}),
    )
    assert tagged["tags"] == {"product_imei": unit.product_imei, "analysis-type": "other"}
    assert tagged["curve-data"] == [[9.0, "2016-01-01T00:01:22Z"]]
    bad = client.get(f"/v1/products/{unit.product_imei}/data", params={"tags": "{nope"}, headers=headers)
    assert bad.status_code == 400


def test_defaults_are_the_last_seven_days_of_telemetry(client, db, store_backend, unit, headers, clock):
    now_ms = int(clock.now.timestamp() * 1000)
    day = 86400 * 1000
    body = {"fields": {"current": [[now_ms - 8 * day, 1.0], [now_ms - 6 * day, 2.0], [now_ms - day, 3.0]]}}
    assert write(client, unit, headers, body).status_code == 200
    other = {"measurement": "analysis", "fields": {"lvd": [[now_ms - day, 5.0]]}}
    assert write(client, unit, headers, other).status_code == 200
    data = read(client, unit, headers)
    assert data["measurement"] == "telemetry"
    assert [v for v, _ in data["current"]] == [2.0, 3.0] and "lvd" not in data
    assert [v for v, _ in read(client, unit, headers, end=str(now_ms - 2 * day))["current"]] == [2.0]


def test_fields_and_where_as_in_the_doc(client, db, store_backend, unit, headers, dataset):
    params = {"start": "2016-01-01", "end": "2016-01-02", "limit": 100, "where": "voltage > 14.0"}
    data = read(client, unit, headers, **params, fields=["current", "temperature"])
    assert data["current"] == [
        [1.234, "2016-01-01T00:00:00Z"],
        [2.234, "2016-01-01T04:00:00Z"],
        [3.234, "2016-01-01T08:00:00Z"],
    ]
    assert data["temperature"] == [
        [21.345, "2016-01-01T00:00:00Z"],
        [None, "2016-01-01T04:00:00Z"],
        [21.345, "2016-01-01T08:00:00Z"],
    ]
    assert "voltage" not in data
    # The doc's other spelling: a quoted field name, and fields as a JSON list.
    quoted = read(client, unit, headers, **params | {"where": "'voltage' > 14.0"}, fields='["current"]')
    assert quoted == {key: data[key] for key in ("measurement", "tags", "current")}
    assert read(client, unit, headers, start="2016-01-02 23:00:00")["current"] == [
        [2.91, "2016-01-03T00:00:00Z"]
    ]


def test_where_with_and_or_and_limit(client, db, store_backend, unit, headers, dataset):
    def currents(**params):
        return [
            v
            for v, _ in read(client, unit, headers, start="2016-01-01", fields="current", **params)["current"]
        ]

    assert currents(where="voltage < 12.5 or (current >= 3 and temperature > 21)") == [
        3.234,
        2.345,
        2.345,
        2.345,
    ]
    assert currents(where="current = 2.91 and voltage != 12.91") == []
    assert currents(where="current <> 2.91 AND voltage <= 12.345") == [2.345, 2.345, 2.345]
    assert currents(limit=2) == [1.234, 2.234]
    assert currents(where="temperature > 21.5", limit=1) == [2.91]


@pytest.mark.parametrize(
    "where",
    [
        "voltage > 0; DROP DATABASE smartsolar",
        "voltage > 0 OR 1=1",
        "voltage > 0) OR (time > 0",
        '"voltage" > 0 --',
        "product_imei = '1' or voltage > 0",
        "nosuchfield > 1",
        "voltage = 'x'",
        "voltage > 1 or current > 'a'",
    ],
)
def test_where_injections_are_refused(client, db, store_backend, unit, headers, dataset, where):
    r = client.get(f"/v1/products/{unit.product_imei}/data", params={"where": where}, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["status"] == "validation-error"


def test_a_string_with_quotes_is_only_a_value(client, db, store_backend, unit, headers):
    body = {"measurement": "logging", "fields": {"note": [[T0, "it's"], [T0 + 1000, "' OR ''='"]]}}
    assert write(client, unit, headers, body).status_code == 200
    for text in ("it's", "' OR ''='"):
        escaped = text.replace("'", "\\'")
        data = read(
            client, unit, headers, measurement="logging", start="2016-01-01", where=f"note = '{escaped}'"
        )
        assert [v for v, _ in data["note"]] == [text]


@pytest.mark.parametrize(
    "params",
    [
        {"ds_interval": "5x"},
        {"ds_interval": "1h", "ds_function": "mean()"},
        {"ds_interval": "1h", "ds_function": "drop"},
        {"ds_function": "mean"},
        {"start": "whenever"},
        {"start": "2016-02-01", "end": "2016-01-01"},
        {"limit": 0},
        {"fields": "nosuch"},
        {"measurement": "x y"},
        {"ds_interval": "1u", "start": "2000-01-01"},
    ],
)
def test_malformed_reads_are_400(client, db, store_backend, unit, headers, dataset, params):
    r = client.get(f"/v1/products/{unit.product_imei}/data", params=params, headers=headers)
    assert r.status_code == 400, r.text


def test_scope_and_permissions(client, db, store_backend, unit, headers):
    entity = make_entity(db)
    viewer = auth_headers(db, Permission.OVERVIEW, scope=Scope.ENTITY, entity_id=entity.entity_id)
    path = f"/v1/products/{unit.product_imei}/data"
    assert client.get(path, headers=viewer).status_code == 404  # another entity's unit
    own = make_product(db, entity=entity)
    assert client.get(f"/v1/products/{own.product_imei}/data", headers=viewer).status_code == 200
    assert client.post(path, json=DOC_BODY, headers=auth_headers(db, Permission.OVERVIEW)).status_code == 403
    assert client.post("/v1/products/000000000000001/data", json=DOC_BODY, headers=headers).status_code == 404
    assert client.get(path).status_code == 401


def test_repeating_a_write_keeps_one_point(client, db, store_backend, unit, headers):
    for _ in range(2):
        assert write(client, unit, headers, DOC_BODY).status_code == 200
    assert len(read(client, unit, headers, **SEPT)["current"]) == 3
    if store_backend == "embedded":
        assert db.scalar(select(func.count()).select_from(telemetry_point)) == 3


def test_start_creates_the_retention_policies(store_backend):
    settings = get_settings()
    said = prepare_store(settings)
    if store_backend == "embedded":
        assert said == "telemetry: embedded store in the database"
        return
    assert "InfluxDB at" in said and "not ready" not in said
    policies = open_store(settings, None).raw_query(
        f'SHOW RETENTION POLICIES ON "{settings.influx_database}"'
    )
    assert {"telemetry_rp", "analysis_rp"} <= {row[0] for row in policies[0]["values"]}
