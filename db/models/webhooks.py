"""Webhook outbox: events published on a channel, one delivery per subscriber, and every attempt.

Not in the doc's schema: these tables are how a published event reaches subscribers durably
(see the README's "Webhooks" section).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base

DELIVERY_STATUSES = ("pending", "delivered", "failed", "cancelled")


class WebhookEvent(Base):
    """One thing that happened, published on a channel; `body` is the exact JSON every subscriber receives."""

    __tablename__ = "webhook_event"

    webhook_event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_name: Mapped[str] = mapped_column(String(255), ForeignKey("channel.name"), nullable=False)
    # No foreign key: the event is history and must not stop a unit from being removed.
    product_imei: Mapped[str | None] = mapped_column(String(15), nullable=True, index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)


class WebhookDelivery(Base):
    """One event for one subscriber. A row in `pending` with no `dispatched_at` is the outbox."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_status_dispatched_at", "status", "dispatched_at"),)

    webhook_delivery_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Sent as X-BBOXX-Delivery on every attempt and every redelivery, so receivers can drop duplicates.
    delivery_uuid: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    webhook_event_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("webhook_event.webhook_event_id"), nullable=False, index=True
    )
    # Cleared when the subscriber unsubscribes; `url` and `entity_id` keep what the delivery was for.
    subscriber_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("subscriber.subscriber_id", ondelete="SET NULL"), nullable=True, index=True
    )
    url: Mapped[str] = mapped_column(String(255), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    status: Mapped[str] = mapped_column(
        Enum(
            *DELIVERY_STATUSES,
            name="webhook_delivery_status",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=False,
    )
    # 1 for the first delivery, +1 per redelivery: each run is its own workflow, `webhook/<uuid>/<run>`.
    run_number: Mapped[int] = mapped_column(Integer, nullable=False)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    attempt_count: Mapped[int] = mapped_column(Integer, nullable=False)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    event: Mapped[WebhookEvent] = relationship(lazy="raise")


class WebhookAttempt(Base):
    """One POST to a subscriber (or the failure to make it), as seen by the delivery activity."""

    __tablename__ = "webhook_attempt"

    webhook_attempt_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_delivery_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("webhook_delivery.webhook_delivery_id"), nullable=False, index=True
    )
    run_number: Mapped[int] = mapped_column(Integer, nullable=False)
    # The activity's attempt number within the run (1, 2, ...), as Temporal counts it.
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
