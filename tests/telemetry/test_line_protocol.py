"""The batch's line protocol is the one influxdb-client's `Point` writes, and awkward values round-trip."""

from __future__ import annotations

import json

from influxdb_client import Point, WritePrecision

from domain.telemetry import line_protocol
from domain.telemetry.points import PointBatch
from domain.telemetry.schema import FieldType
from tests.telemetry.data import T0, read, write

AWKWARD = ['a "quoted" word', "back\\slash\\", "comma, space = equals", "line\nbreak\ttab", "ünïcødé ✓", ""]
TAGS = {"analysis-type": "x, y=z \\ \\y", "product_imei": "123456789012345", "some_tag": "a=b c,d"}


def point_lines(batch: PointBatch) -> bytes:
    lines = []
    for time_ns, values in batch.points.items():
        point = Point(batch.measurement)
        for key, value in batch.tags.items():
            point.tag(key, value)
        for name, value in values.items():
            point.field(name, value)
        lines.append(point.time(time_ns, WritePrecision.NS).to_line_protocol())
    return "\n".join(lines).encode()


def test_lines_are_the_ones_point_writes():
    floats = [0.0, -0.0, 1.0, 20.0, 0.1, -2.5, 1e16, 1.5e-7, 1e300, 12345678.875]
    integers = [0, -1, 7, 2**62, -(2**63) + 1]
    batch = PointBatch("telemetry", TAGS, {})
    for i in range(max(len(floats), len(integers), len(AWKWARD))):
        values: dict = {"voltage": floats[i % len(floats)], "flag": i % 2 == 0}
        values["pulse_count"] = integers[i % len(integers)]
        if i < len(AWKWARD):
            values["note"] = AWKWARD[i]
        if i % 3:  # points with different field sets
            del values["voltage"]
        batch.points[T0 * 10**6 + i - 5] = values
    batch.types = {"voltage": FieldType.FLOAT, "flag": FieldType.BOOLEAN, "pulse_count": FieldType.INTEGER}
    assert line_protocol.lines(batch) == point_lines(batch)


def test_awkward_tags_and_strings_round_trip(client, db, store_backend, unit, headers):
    tags = {key: value for key, value in TAGS.items() if key != "product_imei"}
    notes = AWKWARD
    body = {
        "measurement": "logging",
        "tags": tags,
        "fields": {"note": [[T0 + i * 1000, text] for i, text in enumerate(notes)]},
    }
    assert write(client, unit, headers, body).status_code == 200
    data = read(client, unit, headers, measurement="logging", start="2016-01-01", tags=json.dumps(tags))
    assert [value for value, _ in data["note"]] == notes


def test_a_tag_value_ending_in_a_backslash_is_refused(client, db, store_backend, unit, headers):
    # InfluxDB 1.x would read the backslash as escaping the separator after it and store something else.
    body = {"tags": {"some_tag": "ends\\"}, "fields": {"voltage": [[T0, 1.0]]}}
    r = write(client, unit, headers, body)
    assert r.status_code == 400 and "backslash" in r.json()["message"]
    r = client.get(
        f"/v1/products/{unit.product_imei}/data", params={"tags": json.dumps(body["tags"])}, headers=headers
    )
    assert r.status_code == 400
