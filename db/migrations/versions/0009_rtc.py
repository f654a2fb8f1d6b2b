"""RTC messaging: message ids on the MO and MT histories, so a message is processed (and settled) once

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rtc_mo_message_history") as batch:
        batch.add_column(sa.Column("message_reference", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(
            "uq_rtc_mo_message_history_reference", ["product_imei", "message_reference"]
        )
    with op.batch_alter_table("rtc_message_history") as batch:
        batch.create_unique_constraint("uq_rtc_message_history_message_reference", ["message_reference"])


def downgrade() -> None:
    with op.batch_alter_table("rtc_message_history") as batch:
        batch.drop_constraint("uq_rtc_message_history_message_reference", type_="unique")
    with op.batch_alter_table("rtc_mo_message_history") as batch:
        batch.drop_constraint("uq_rtc_mo_message_history_reference", type_="unique")
        batch.drop_column("message_reference")
