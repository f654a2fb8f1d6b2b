"""indexes for SMS receipts and the SMS expiry sweep (db/models/indexes.py says what reads each)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sms_history_message_reference", "sms_history", ["message_reference"], unique=False)
    op.create_index(
        "ix_sms_history_open_sms_timeout",
        "sms_history",
        ["sms_timeout"],
        unique=False,
        postgresql_where=sa.text("status IS NULL"),
        sqlite_where=sa.text("status IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_sms_history_open_sms_timeout", table_name="sms_history")
    op.drop_index("ix_sms_history_message_reference", table_name="sms_history")
