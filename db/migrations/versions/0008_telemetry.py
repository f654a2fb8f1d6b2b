"""embedded telemetry store: points (fields as JSON, one row per measurement, tag set and time) and field types

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "telemetry_point",
        sa.Column(
            "telemetry_point_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("measurement", sa.String(length=64), nullable=False),
        sa.Column("product_imei", sa.String(length=15), nullable=False),
        sa.Column("series", sa.String(length=2048), nullable=False),
        sa.Column("tags", Json, nullable=False),
        sa.Column("time_ns", sa.BigInteger(), nullable=False),
        sa.Column("fields", Json, nullable=False),
        sa.PrimaryKeyConstraint("telemetry_point_id", name=op.f("pk_telemetry_point")),
        sa.UniqueConstraint("measurement", "series", "time_ns", name=op.f("uq_telemetry_point_measurement")),
    )
    op.create_index(
        "ix_telemetry_point_product_imei_measurement_time_ns",
        "telemetry_point",
        ["product_imei", "measurement", "time_ns"],
    )
    op.create_table(
        "telemetry_field",
        sa.Column("measurement", sa.String(length=64), nullable=False),
        sa.Column("field_name", sa.String(length=64), nullable=False),
        sa.Column("field_type", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("measurement", "field_name", name=op.f("pk_telemetry_field")),
    )


def downgrade() -> None:
    op.drop_table("telemetry_field")
    op.drop_index("ix_telemetry_point_product_imei_measurement_time_ns", table_name="telemetry_point")
    op.drop_table("telemetry_point")
