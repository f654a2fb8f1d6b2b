"""A read of `GET /v1/products/<imei>/data`: the doc's parameters with their defaults, checked, and the
downsampling functions (InfluxDB's, computed the same way by the embedded store)."""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.errors import ValidationFailed
from domain.telemetry import schema, timestamps, where
from domain.telemetry.schema import FieldType

DEFAULT_SPAN = timedelta(days=7)
MAX_LIMIT = 100_000
MAX_BUCKETS = 100_000
UNITS_NS = {"u": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
UNITS_NS |= {"d": 24 * UNITS_NS["h"], "w": 7 * 24 * UNITS_NS["h"]}
_INTERVAL = re.compile(r"^([1-9][0-9]{0,9})(u|ms|s|m|h|d|w)$")


def _spread(values):
    return max(values) - min(values)


def _stddev(values):
    return statistics.stdev(values) if len(values) > 1 else None


# name -> (function over the bucket's values in time order, needs numbers, result is always a float)
FUNCTIONS: dict[str, tuple[Callable[[Sequence], object], bool, bool]] = {
    "mean": (statistics.fmean, True, True),
    "median": (statistics.median, True, True),
    "sum": (sum, True, False),
    "min": (min, True, False),
    "max": (max, True, False),
    "spread": (_spread, True, False),
    "stddev": (_stddev, True, True),
    "count": (len, False, False),
    "first": (lambda values: values[0], False, False),
    "last": (lambda values: values[-1], False, False),
}


@dataclass(frozen=True)
class Downsample:
    interval_ns: int
    function: str


@dataclass
class TelemetryQuery:
    """What to read; `fields` empty means every field of the measurement."""

    imei: str
    measurement: str
    start_ns: int
    end_ns: int
    fields: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    where: where.Expression | None = None
    limit: int | None = None
    downsample: Downsample | None = None

    @property
    def all_tags(self) -> dict[str, str]:
        return {schema.IMEI_TAG: self.imei, **self.tags}


def parse_query(
    imei: str,
    now: datetime,
    *,
    start: str | None,
    end: str | None,
    fields: list[str],
    measurement: str | None,
    limit: int | None,
    where_text: str | None,
    tags: str | None,
    ds_interval: str | None,
    ds_function: str | None,
) -> TelemetryQuery:
    end_ns = _time("end", end) if end else timestamps.from_datetime(now)
    start_ns = _time("start", start) if start else timestamps.from_datetime(now - DEFAULT_SPAN)
    if start_ns > end_ns:
        raise ValidationFailed(
            "start is after end", validation_errors={"start": start or "", "end": end or ""}
        )
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit: 1 to {MAX_LIMIT}", validation_errors={"limit": str(limit)})
    names = [name.strip() for item in fields for name in _list(item)]
    query = TelemetryQuery(
        imei=imei,
        measurement=schema.check_name("measurement", measurement or schema.DEFAULT_MEASUREMENT),
        start_ns=start_ns,
        end_ns=end_ns,
        fields=[schema.check_name("field", name) for name in dict.fromkeys(names) if name and name != "*"],
        tags=_tags(tags),
        where=where.parse(where_text) if where_text and where_text.strip() else None,
        limit=limit,
    )
    if ds_interval:
        query.downsample = _downsample(ds_interval, ds_function or "mean", end_ns - start_ns)
    elif ds_function:
        raise ValidationFailed(
            "ds_function needs ds_interval", validation_errors={"ds_function": ds_function}
        )
    return query


def _list(item: str) -> list[str]:
    """`fields` as repeated parameters, a comma list, or a JSON list (as the doc's examples send it)."""
    if item.startswith("["):
        try:
            parsed = json.loads(item.replace("'", '"'))
        except ValueError:
            parsed = None
        if not isinstance(parsed, list) or not all(isinstance(name, str) for name in parsed):
            raise ValidationFailed("fields: a list of field names", validation_errors={"fields": item[:100]})
        return parsed
    return item.split(",")


def _time(name: str, text: str) -> int:
    try:
        return timestamps.to_ns(text)
    except timestamps.BadTimestamp as err:
        raise ValidationFailed(f"{name}: {err}", validation_errors={name: text[:100]}) from err


def _tags(text: str | None) -> dict[str, str]:
    if not text or not text.strip():
        return {}
    try:
        parsed = json.loads(text)
    except ValueError as err:
        raise ValidationFailed(
            "tags: a JSON object of tag names and values", validation_errors={"tags": text[:100]}
        ) from err
    if not isinstance(parsed, dict):
        raise ValidationFailed(
            "tags: a JSON object of tag names and values", validation_errors={"tags": text[:100]}
        )
    tags = {key: schema.check_tag(key, value) for key, value in parsed.items()}
    tags.pop(schema.IMEI_TAG, None)  # the product's own imei is always the filter
    return tags


def _downsample(interval: str, function: str, span_ns: int) -> Downsample:
    match = _INTERVAL.match(interval)
    if not match:
        raise ValidationFailed(
            "ds_interval: [number][unit], unit one of u, ms, s, m, h, d, w (e.g. 5m)",
            validation_errors={"ds_interval": interval[:50]},
        )
    interval_ns = int(match.group(1)) * UNITS_NS[match.group(2)]
    if span_ns // interval_ns > MAX_BUCKETS:
        raise ValidationFailed(
            f"ds_interval: at most {MAX_BUCKETS} intervals between start and end",
            validation_errors={"ds_interval": interval},
        )
    if function not in FUNCTIONS:
        raise ValidationFailed(
            f"ds_function: one of {', '.join(FUNCTIONS)} (no brackets)",
            validation_errors={"ds_function": function[:50]},
        )
    return Downsample(interval_ns, function)


def numeric_only(query: TelemetryQuery) -> bool:
    return query.downsample is not None and FUNCTIONS[query.downsample.function][1]


def normaliser(kind: FieldType | None, function: str | None) -> Callable[[object], object]:
    """A field's values in one JSON form for both stores (InfluxDB answers a float 10.0 as 10), the
    conversion chosen once per field (a read converts every value it answers)."""
    if function == "count":
        return _as_int
    if function is not None and FUNCTIONS[function][2] or kind is FieldType.FLOAT:
        return _as_finite_float
    if kind is FieldType.INTEGER:
        return _as_int
    return _as_is


def _as_int(value: object) -> object:
    return None if value is None else int(value)


def _as_finite_float(value: object) -> object:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _as_is(value: object) -> object:
    return value


def aggregate(function: str, values: Sequence) -> object:
    return FUNCTIONS[function][0](values)
