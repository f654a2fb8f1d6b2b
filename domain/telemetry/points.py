"""The write body (`measurement`, `tags`, `fields: {name: [[timestamp, value], ...]}`) checked as a whole
before anything is stored: one bad point refuses the request, naming the point."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from domain.errors import ValidationFailed
from domain.telemetry import schema, timestamps
from domain.telemetry.schema import FieldType

MAX_POINTS = 50_000
MAX_STRING = 1024

Value = float | int | str | bool


# Checked here (build_batch), naming the point and the rule; the schemas say what passes.
TagValue = Annotated[
    Any, WithJsonSchema({"type": "string", "minLength": 1, "maxLength": schema.MAX_TAG_VALUE})
]
Point = Annotated[
    list[Any],
    WithJsonSchema(
        {
            "type": "array",
            "description": "[timestamp, value]: milliseconds since the epoch (or a date-time), then the value",
            "prefixItems": [
                {"anyOf": [{"type": "number"}, {"type": "string"}]},
                {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "boolean"}]},
            ],
            "minItems": 2,
            "maxItems": 2,
        }
    ),
]


class TelemetryWrite(BaseModel):
    """The doc's body for `POST /v1/products/<imei>/data` and the unit's `POST /v1/rm_data`."""

    model_config = ConfigDict(extra="forbid")

    measurement: str = Field(default=schema.DEFAULT_MEASUREMENT, min_length=1, max_length=64)
    tags: dict[str, TagValue] = Field(default_factory=dict, max_length=32)
    fields: dict[str, list[Point]] = Field(min_length=1, max_length=256)


@dataclass
class PointBatch:
    """Validated points of one request: one measurement, one tag set, `points[time_ns][field] = value`."""

    measurement: str
    tags: dict[str, str]
    types: dict[str, FieldType]
    points: dict[int, dict[str, Value]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(values) for values in self.points.values())


def value_type(value: object) -> FieldType | None:
    if isinstance(value, bool):
        return FieldType.BOOLEAN
    if isinstance(value, int | float):
        return FieldType.FLOAT  # like line protocol: an unsuffixed number is a float
    if isinstance(value, str) and len(value) <= MAX_STRING:
        return FieldType.STRING
    return None


def coerce(value: object, wanted: FieldType) -> Value:
    """The value as a field of type `wanted`, or ValueError (a float field takes 1; an integer one 2.0)."""
    if wanted is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueError(f"an integer is required, not {value!r}")
        return int(value)
    if wanted is FieldType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"a number is required, not {value!r}")
        return float(value)
    if value_type(value) is not wanted:
        raise ValueError(f"a {wanted.value} is required, not {value!r}")
    return value  # type: ignore[return-value]


def build_batch(imei: str, body: TelemetryWrite, known: dict[str, FieldType]) -> PointBatch:
    """Check the whole body against the names rules and the field types already stored (`known`)."""
    measurement = schema.check_name("measurement", body.measurement)
    tags = {key: schema.check_tag(key, value) for key, value in body.tags.items()}
    if tags.get(schema.IMEI_TAG, imei) != imei:
        raise ValidationFailed(
            f"Tag product_imei {tags[schema.IMEI_TAG]!r} is not this product's imei",
            validation_errors={"tags": schema.IMEI_TAG},
        )
    tags[schema.IMEI_TAG] = imei  # always the product's own
    declared = schema.DECLARED_FIELDS.get(measurement, {})
    batch = PointBatch(measurement, dict(sorted(tags.items())), {})
    total = 0
    for name, pairs in body.fields.items():
        schema.check_name("field", name)
        if name in tags:
            raise ValidationFailed(f"Field {name!r} is also a tag", validation_errors={"fields": name})
        total += len(pairs)
        if total > MAX_POINTS:
            raise ValidationFailed(f"At most {MAX_POINTS} data-points per request")
        for index, pair in enumerate(pairs):
            batch_point(batch, name, index, pair, known.get(name) or declared.get(name))
    if total == 0:
        raise ValidationFailed("No data-points in the request", validation_errors={"fields": "empty"})
    return batch


def batch_point(batch: PointBatch, name: str, index: int, pair: list, wanted: FieldType | None) -> None:
    where = f"fields.{name}[{index}]"
    if len(pair) != 2:
        raise ValidationFailed(f"{where}: a point is [timestamp, value]", validation_errors={where: pair})
    try:
        time_ns = timestamps.to_ns(pair[0])
        wanted = wanted or batch.types.get(name) or value_type(pair[1])
        if wanted is None:
            raise ValueError(f"{pair[1]!r} is not a number, string or boolean")
        value = coerce(pair[1], wanted)
    except ValueError as err:
        raise ValidationFailed(f"{where}: {err}", validation_errors={where: str(err)}) from err
    batch.types[name] = wanted
    batch.points.setdefault(time_ns, {})[name] = value
