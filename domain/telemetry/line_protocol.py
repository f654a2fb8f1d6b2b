"""A checked batch as InfluxDB line protocol, the lines influxdb-client's `Point` writes, built faster.

`Point` renders each line from scratch (escaping the measurement, sorting and escaping every tag, a
general type dispatch per field, a timestamp conversion): profiled, about 30 us a line, a tenth of an
API write of a day's readings. A batch has one measurement and one tag set, so `Point` renders that
series key once; field names are checked names (letters, digits, `_`, `-`: nothing to escape), and each
value already has its field's type (`points.coerce`), so it is formatted as `Point` formats that type.
tests/telemetry/test_line_protocol.py holds the two to the same output.
"""

from __future__ import annotations

from influxdb_client import Point

from domain.telemetry.points import PointBatch, Value

_PLACEHOLDER = "_=true"
# The escapes `Point` applies to a string field value.
_ESCAPE_STRING = str.maketrans({'"': '\\"', "\\": "\\\\"})


def series_key(measurement: str, tags: dict[str, str]) -> str:
    """`measurement,tag=value,... ` (with its trailing space) as `Point` escapes it."""
    line = Point(measurement)
    for key, value in tags.items():
        line.tag(key, value)
    rendered = line.field("_", True).to_line_protocol()
    assert rendered.endswith(" " + _PLACEHOLDER)
    return rendered[: -len(_PLACEHOLDER)]


def field_value(value: Value) -> str:
    """One field value as line protocol (`Point`'s rules: `20.0` as `20`, integers with `i`)."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        text = str(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, int):
        return f"{value}i"
    return '"' + value.translate(_ESCAPE_STRING) + '"'


def lines(batch: PointBatch) -> bytes:
    """Every point of the batch, one line each, fields in name order as `Point` sorts them."""
    key = series_key(batch.measurement, batch.tags)
    out = []
    for time_ns, values in batch.points.items():
        fields = ",".join(f"{name}={field_value(values[name])}" for name in sorted(values))
        out.append(f"{key}{fields} {time_ns}")
    return "\n".join(out).encode()
