"""factory_log.product_imei refers to a product, like every other product_imei

Without the foreign key a log row could name any string, including another entity's unit that the
scope check then never sees as a unit reference.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FK = "fk_factory_log_product_imei_product"


def upgrade() -> None:
    with op.batch_alter_table("factory_log") as batch:
        batch.create_foreign_key(op.f(FK), "product", ["product_imei"], ["product_imei"])


def downgrade() -> None:
    with op.batch_alter_table("factory_log") as batch:
        batch.drop_constraint(op.f(FK), type_="foreignkey")
