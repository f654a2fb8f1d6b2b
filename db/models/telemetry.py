"""The embedded telemetry store: points in the project's own database (the default, no extra server).

Plain tables, not mapped classes: points are written and read in bulk with SQL, and carry none of the
meta columns (a point is written by the unit or client whose request it came with, never edited).
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB

from db.base import Base

Json = JSON().with_variant(JSONB(), "postgresql")
PointId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements only INTEGER keys

# One row per point (measurement, tag set, time), its fields as a JSON object, like one InfluxDB point.
telemetry_point = Table(
    "telemetry_point",
    Base.metadata,
    Column("telemetry_point_id", PointId, primary_key=True, autoincrement=True),
    Column("measurement", String(64), nullable=False),
    Column("product_imei", String(15), nullable=False),
    Column("series", String(2048), nullable=False),  # the tag set as canonical JSON: the series' identity
    Column("tags", Json, nullable=False),
    Column("time_ns", BigInteger, nullable=False),
    Column("fields", Json, nullable=False),
    UniqueConstraint("measurement", "series", "time_ns"),
    Index("ix_telemetry_point_product_imei_measurement_time_ns", "product_imei", "measurement", "time_ns"),
)

# The type of each field of a measurement, fixed by its first write (InfluxDB's field type rule).
telemetry_field = Table(
    "telemetry_field",
    Base.metadata,
    Column("measurement", String(64), primary_key=True),
    Column("field_name", String(64), primary_key=True),
    Column("field_type", String(16), nullable=False),
)
