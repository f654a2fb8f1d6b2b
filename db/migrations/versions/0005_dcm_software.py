"""dcm and software updates: product_software_linker.status, final_balance.outstanding_payments

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LINKER_STATUS = ("pending", "active", "removed", "expired", "failed")


def upgrade() -> None:
    with op.batch_alter_table("product_software_linker") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            "ck_product_software_linker_status", sa.column("status").in_(LINKER_STATUS)
        )
    # Existing rows keep NULL: the code reads NULL as an installed (or removed) row, as before.
    with op.batch_alter_table("final_balance") as batch:
        batch.add_column(sa.Column("outstanding_payments", sa.Integer(), nullable=True))
    # The unit's outstanding commands and its software rows are read on every RC-GET.
    op.create_index("ix_payment_command_product_imei", "payment_command", ["product_imei"], unique=False)
    op.create_index(
        "ix_product_software_linker_product_imei", "product_software_linker", ["product_imei"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_product_software_linker_product_imei", table_name="product_software_linker")
    op.drop_index("ix_payment_command_product_imei", table_name="payment_command")
    with op.batch_alter_table("final_balance") as batch:
        batch.drop_column("outstanding_payments")
    with op.batch_alter_table("product_software_linker") as batch:
        batch.drop_constraint("ck_product_software_linker_status", type_="check")
        batch.drop_column("status")
