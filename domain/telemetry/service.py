"""Telemetry services used by the API (product data, the unit's rm_data) and by the RTC consumer."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from core.settings import Settings
from domain.errors import ValidationFailed
from domain.telemetry import query as queries
from domain.telemetry import timestamps, where
from domain.telemetry.embedded import EmbeddedStore
from domain.telemetry.influx import InfluxStore
from domain.telemetry.points import TelemetryWrite, build_batch
from domain.telemetry.query import TelemetryQuery
from domain.telemetry.schema import NUMERIC
from domain.telemetry.store import TelemetryStore, TelemetryUnavailable


@lru_cache
def _influx(url: str, database: str, username: str, password: str, timeout: float) -> InfluxStore:
    return InfluxStore(url, database, username, password, timeout)


def open_store(settings: Settings, session: Session) -> TelemetryStore:
    """InfluxDB when `SMARTSOLAR_INFLUX_URL` is set (or the backend is named), else the embedded store."""
    backend = settings.telemetry_backend or ("influx" if settings.influx_url else "embedded")
    if backend == "influx":
        return _influx(
            settings.influx_url,
            settings.influx_database,
            settings.influx_username,
            settings.influx_password,
            settings.influx_timeout_seconds,
        )
    return EmbeddedStore(session)


def prepare_store(settings: Settings) -> str:
    """At start: on InfluxDB, create the database and the doc's retention policies. Says which store."""
    if (settings.telemetry_backend or ("influx" if settings.influx_url else "embedded")) != "influx":
        return "telemetry: embedded store in the database"
    store = open_store(settings, None)  # type: ignore[arg-type] - InfluxDB needs no session
    assert isinstance(store, InfluxStore)
    try:
        store.ensure_schema()
    except TelemetryUnavailable as err:  # the API still starts; telemetry answers 503 until it is back
        return f"telemetry: InfluxDB at {settings.influx_url} not ready ({err.message})"
    return f"telemetry: InfluxDB at {settings.influx_url}, database {settings.influx_database}"


def write_points(store: TelemetryStore, imei: str, body: TelemetryWrite) -> int:
    """Write the body's points for the product (its imei always a tag), all or none; the point count."""
    known = store.field_types(body.measurement, body.fields)
    batch = build_batch(imei, body, known)
    store.write(batch)
    return batch.count


def write_readings(store: TelemetryStore, imei: str, readings: list[dict], now: datetime) -> int:
    """RTC telemetry: flat readings `{"time": <seconds since the epoch, default now>, field: value, ...}`
    written as one `telemetry` body (all or none); the number of readings."""
    fields: dict[str, list[list]] = {}
    for index, reading in enumerate(readings):
        if not isinstance(reading, dict):
            raise ValidationFailed(
                f"reading {index}: an object of fields", validation_errors={str(index): "invalid"}
            )
        moment = reading.get("time")
        if moment is not None and (isinstance(moment, bool) or not isinstance(moment, int | float)):
            raise ValidationFailed(f"reading {index}: time is seconds since the epoch")
        ms = moment * 1000 if moment is not None else timestamps.from_datetime(now) // 1_000_000
        for name, value in reading.items():
            if name != "time":
                fields.setdefault(name, []).append([ms, value])
    write_points(store, imei, TelemetryWrite(fields=fields))
    return len(readings)


def written_message(count: int) -> str:
    return f"{count} data-point(s) successfully written"


def read_points(store: TelemetryStore, query: TelemetryQuery) -> dict:
    """The doc's answer: `measurement`, `tags`, then each field as `[[value, timestamp], ...]`."""
    types = store.field_types(query.measurement, query.fields)
    for name in query.fields:
        if name not in types:
            raise ValidationFailed(
                f"fields: {name!r} is not a field of {query.measurement}", validation_errors={"fields": name}
            )
    if query.where is not None:
        where.check(query.where, types)
    numeric = queries.numeric_only(query)
    if numeric:
        for name in query.fields:
            if types[name] not in NUMERIC:
                raise ValidationFailed(
                    f"ds_function {query.downsample.function} needs numbers; {name!r} is {types[name].value}",
                    validation_errors={"fields": name},
                )
    fields = query.fields or sorted(name for name, kind in types.items() if kind in NUMERIC or not numeric)
    answer: dict = {"measurement": query.measurement, "tags": query.all_tags}
    rows = store.read(query, fields) if fields else []
    function = query.downsample.function if query.downsample else None
    times = [timestamps.to_text(time_ns) for time_ns, _ in rows]  # once per row, not once per field
    for index, name in enumerate(fields):
        normalise = queries.normaliser(types[name], function)
        series = [[normalise(values[index]), moment] for moment, (_, values) in zip(times, rows)]
        # Every field asked for is answered; of "all fields", those this product has values for.
        if query.fields or any(value is not None for value, _ in series):
            answer[name] = series
    return answer
