"""The embedded store: points in the project's database, in the request's session (one commit point).

Filters (tags, time, `where`) are SQL with bound parameters; downsampling groups the matching points by
epoch-aligned time buckets and applies the same functions as InfluxDB (see `query.FUNCTIONS`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models.telemetry import telemetry_field, telemetry_point
from domain.errors import ValidationFailed
from domain.telemetry import query as queries
from domain.telemetry.points import PointBatch
from domain.telemetry.query import TelemetryQuery
from domain.telemetry.schema import FieldType
from domain.telemetry.store import Row
from domain.telemetry.where import AllOf, AnyOf, Expression

_OPS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def render(expression: Expression) -> ColumnElement[bool]:
    """The tree as SQL on the JSON `fields` column; names and values are bound parameters."""
    if isinstance(expression, AllOf):
        return and_(*(render(part) for part in expression.parts))
    if isinstance(expression, AnyOf):
        return or_(*(render(part) for part in expression.parts))
    value = telemetry_point.c.fields[expression.field]
    value = value.as_float() if isinstance(expression.value, float) else value.as_string()
    return _OPS[expression.op](value, expression.value)


class EmbeddedStore:
    in_session = True

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def field_types(self, measurement: str, wanted: Iterable[str] = ()) -> dict[str, FieldType]:
        rows = self.session.execute(
            select(telemetry_field.c.field_name, telemetry_field.c.field_type).where(
                telemetry_field.c.measurement == measurement
            )
        )
        return {name: FieldType(kind) for name, kind in rows}

    def write(self, batch: PointBatch) -> None:
        self._record_types(batch)
        series = json.dumps(batch.tags, sort_keys=True, separators=(",", ":"))
        rows = [
            {
                "measurement": batch.measurement,
                "product_imei": batch.tags["product_imei"],
                "series": series,
                "tags": batch.tags,
                "time_ns": time_ns,
                "fields": values,
            }
            for time_ns, values in batch.points.items()
        ]
        insert = (postgresql if self.dialect == "postgresql" else sqlite).insert(telemetry_point)
        # The same point written again keeps one row: its fields merge, as InfluxDB merges them.
        merged = (
            telemetry_point.c.fields.op("||")(insert.excluded.fields)
            if self.dialect == "postgresql"
            else func.json_patch(telemetry_point.c.fields, insert.excluded.fields)
        )
        statement = insert.on_conflict_do_update(
            index_elements=["measurement", "series", "time_ns"], set_={"fields": merged}
        )
        self.session.execute(statement, rows)

    def _record_types(self, batch: PointBatch) -> None:
        known = self.field_types(batch.measurement)
        new = [
            {"measurement": batch.measurement, "field_name": name, "field_type": kind.value}
            for name, kind in batch.types.items()
            if name not in known
        ]
        if new:
            insert = (postgresql if self.dialect == "postgresql" else sqlite).insert(telemetry_field)
            self.session.execute(insert.on_conflict_do_nothing(), new)
            known = self.field_types(batch.measurement)  # a concurrent first write may have won
        for name, kind in batch.types.items():
            if known.get(name, kind) is not kind:
                raise ValidationFailed(
                    f"field type conflict: {name!r} is {known[name].value}, not {kind.value}",
                    validation_errors={f"fields.{name}": "type conflict"},
                )

    def read(self, query: TelemetryQuery, fields: list[str]) -> list[Row]:
        point = telemetry_point.c
        conditions = [
            point.product_imei == query.imei,
            point.measurement == query.measurement,
            point.time_ns >= query.start_ns,
            point.time_ns <= query.end_ns,
            *(point.tags[key].as_string() == value for key, value in query.tags.items()),
        ]
        if query.where is not None:
            conditions.append(render(query.where))
        statement = (
            select(point.time_ns, point.fields).where(*conditions).order_by(point.time_ns, point.series)
        )
        if query.downsample is None:
            present = or_(*(point.fields[name].as_string().is_not(None) for name in fields))
            statement = statement.where(present).limit(query.limit)
            return [
                (time_ns, [values.get(name) for name in fields])
                for time_ns, values in self.session.execute(statement)
            ]
        return downsample(self.session.execute(statement).all(), query, fields)


def downsample(points: Iterable[tuple[int, dict]], query: TelemetryQuery, fields: list[str]) -> list[Row]:
    interval, function = query.downsample.interval_ns, query.downsample.function
    buckets: dict[int, dict[str, list]] = {}
    for time_ns, values in points:
        start = time_ns - time_ns % interval
        bucket = buckets.get(start)
        if bucket is None:
            bucket = buckets[start] = {}
        for name in fields:
            value = values.get(name)
            if value is not None:
                if name in bucket:
                    bucket[name].append(value)
                else:
                    bucket[name] = [value]
    # Like InfluxDB, `limit` counts each field's non-empty buckets apart; a row shows any field that has one.
    kept: dict[str, set[int]] = {name: set() for name in fields}
    for start, bucket in sorted(buckets.items()):
        for name in bucket:
            if not query.limit or len(kept[name]) < query.limit:
                kept[name].add(start)
    rows = []
    for start, bucket in sorted(buckets.items()):
        values = [queries.aggregate(function, bucket[n]) if start in kept[n] else None for n in fields]
        if any(start in kept[n] for n in fields):
            rows.append((start, values))
    return rows
