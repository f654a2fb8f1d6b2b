"""The one interface both telemetry stores implement (InfluxDB, and the embedded one in our database)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from domain.errors import AppError
from domain.telemetry.points import PointBatch
from domain.telemetry.query import TelemetryQuery
from domain.telemetry.schema import FieldType

# (time in ns, one value per selected field, None where the point has none)
Row = tuple[int, list]


class TelemetryUnavailable(AppError):
    """The time-series database cannot be reached: repeating the request later helps."""

    status_code = 503


class TelemetryStore(Protocol):
    in_session: bool  # writes go through the request's database session (then it needs a transaction)

    def field_types(self, measurement: str, wanted: Iterable[str] = ()) -> dict[str, FieldType]:
        """Every field of the measurement and its type (fresh at least for the `wanted` names)."""

    def write(self, batch: PointBatch) -> None:
        """Store every point of the batch, or none (the batch is already checked)."""

    def read(self, query: TelemetryQuery, fields: list[str]) -> list[Row]:
        """The points (or, with `query.downsample`, the non-empty time buckets) in time order."""
