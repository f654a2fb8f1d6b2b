"""webhooks: the doc's three channels, and the outbox of events, deliveries and attempts

Revision ID: 0004
Revises: 0003
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHANNELS = ("product-status", "product-alert", "dcm")


def upgrade() -> None:
    op.create_table(
        "webhook_event",
        sa.Column("webhook_event_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_name", sa.String(length=255), nullable=False),
        sa.Column("product_imei", sa.String(length=15), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("modified_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_name"], ["channel.name"], name=op.f("fk_webhook_event_channel_name_channel")
        ),
        sa.PrimaryKeyConstraint("webhook_event_id", name=op.f("pk_webhook_event")),
    )
    op.create_index(op.f("ix_webhook_event_product_imei"), "webhook_event", ["product_imei"], unique=False)
    op.create_table(
        "webhook_delivery",
        sa.Column("webhook_delivery_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delivery_uuid", sa.String(length=36), nullable=False),
        sa.Column("webhook_event_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=255), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "delivered",
                "failed",
                "cancelled",
                name="webhook_delivery_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("run_number", sa.Integer(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("modified_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.subscriber_id"],
            name=op.f("fk_webhook_delivery_subscriber_id_subscriber"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["webhook_event_id"],
            ["webhook_event.webhook_event_id"],
            name=op.f("fk_webhook_delivery_webhook_event_id_webhook_event"),
        ),
        sa.PrimaryKeyConstraint("webhook_delivery_id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint("delivery_uuid", name=op.f("uq_webhook_delivery_delivery_uuid")),
    )
    op.create_index(op.f("ix_webhook_delivery_entity_id"), "webhook_delivery", ["entity_id"], unique=False)
    op.create_index(
        "ix_webhook_delivery_status_dispatched_at",
        "webhook_delivery",
        ["status", "dispatched_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_delivery_subscriber_id"), "webhook_delivery", ["subscriber_id"], unique=False
    )
    op.create_index(
        op.f("ix_webhook_delivery_webhook_event_id"), "webhook_delivery", ["webhook_event_id"], unique=False
    )
    op.create_table(
        "webhook_attempt",
        sa.Column("webhook_attempt_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_delivery_id", sa.Integer(), nullable=False),
        sa.Column("run_number", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("modified_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_delivery_id"],
            ["webhook_delivery.webhook_delivery_id"],
            name=op.f("fk_webhook_attempt_webhook_delivery_id_webhook_delivery"),
        ),
        sa.PrimaryKeyConstraint("webhook_attempt_id", name=op.f("pk_webhook_attempt")),
    )
    op.create_index(
        op.f("ix_webhook_attempt_webhook_delivery_id"),
        "webhook_attempt",
        ["webhook_delivery_id"],
        unique=False,
    )

    # The channels the doc lists (and `dcm`, which its DCM section publishes to); kept if already there.
    now = datetime.now(UTC).replace(tzinfo=None)
    insert = sa.text(
        "INSERT INTO channel (name, created_at, created_by) "
        "SELECT :name, :now, 'system:migration' WHERE NOT EXISTS (SELECT 1 FROM channel WHERE name = :name)"
    )
    for name in CHANNELS:
        op.get_bind().execute(insert, {"name": name, "now": now})


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_attempt_webhook_delivery_id"), table_name="webhook_attempt")
    op.drop_table("webhook_attempt")
    op.drop_index(op.f("ix_webhook_delivery_webhook_event_id"), table_name="webhook_delivery")
    op.drop_index(op.f("ix_webhook_delivery_subscriber_id"), table_name="webhook_delivery")
    op.drop_index("ix_webhook_delivery_status_dispatched_at", table_name="webhook_delivery")
    op.drop_index(op.f("ix_webhook_delivery_entity_id"), table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_index(op.f("ix_webhook_event_product_imei"), table_name="webhook_event")
    op.drop_table("webhook_event")
    # Channels someone subscribed to stay: their subscribers still point at them.
    delete = sa.text(
        "DELETE FROM channel WHERE name = :name AND NOT EXISTS (SELECT 1 FROM subscriber WHERE channel_name = :name)"
    )
    for name in CHANNELS:
        op.get_bind().execute(delete, {"name": name})
