"""device: tamper switch flags and tamper_enable_history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:25:12.400538
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tamper_enable_history",
        sa.Column("tamper_enable_history_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("product_imei", sa.String(length=15), nullable=False),
        sa.Column(
            "prev_enable_state",
            sa.Enum(
                "pending_disabled",
                "pending_enabled",
                "init",
                "enabled",
                "disabled",
                name="prev_enable_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column(
            "current_enable_state",
            sa.Enum(
                "pending_disabled",
                "pending_enabled",
                "init",
                "enabled",
                "disabled",
                name="current_enable_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("user", sa.String(length=255), nullable=False),
        sa.Column("date", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("modified_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_imei"],
            ["product.product_imei"],
            name=op.f("fk_tamper_enable_history_product_imei_product"),
        ),
        sa.PrimaryKeyConstraint("tamper_enable_history_id", name=op.f("pk_tamper_enable_history")),
    )
    op.add_column(
        "product", sa.Column("current_tamper_flag", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "product", sa.Column("desired_tamper_flag", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("product", sa.Column("latest_tamper_enable_history_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("product", "latest_tamper_enable_history_id")
    op.drop_column("product", "desired_tamper_flag")
    op.drop_column("product", "current_tamper_flag")
    op.drop_table("tamper_enable_history")
