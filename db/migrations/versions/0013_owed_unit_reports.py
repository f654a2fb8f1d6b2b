"""owed_unit_report: units whose report to their DeviceWorkflow was lost in a Temporal outage, shared by
every API process and kept across restarts (it was a set in one process's memory)

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owed_unit_report",
        sa.Column("product_imei", sa.String(length=15), nullable=False),
        sa.Column("owed_since", sa.DateTime(), nullable=False),
        sa.Column("lost_reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_imei"],
            ["product.product_imei"],
            name=op.f("fk_owed_unit_report_product_imei_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_imei", name=op.f("pk_owed_unit_report")),
    )


def downgrade() -> None:
    op.drop_table("owed_unit_report")
