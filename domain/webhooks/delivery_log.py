"""The worker's side of a delivery: what to send, what happened on each attempt, and the dispatch bookkeeping.

Every function takes the run number it acts for, so a late message from an earlier run (before a
redelivery) cannot change the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.alert import Subscriber
from db.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEvent
from domain.webhooks.kicks import DeliveryRef
from domain.webhooks.outbox import delivery_ref

ERROR_MAX_LENGTH = 500


@dataclass(frozen=True)
class SendJob:
    """Everything one POST needs. `key_salt` (not the key) so the secret never leaves the sending activity."""

    delivery_uuid: str
    run_number: int
    status: str
    url: str
    body: str
    key_salt: str | None  # None once the subscriber is gone


def load_send_job(session: Session, delivery_uuid: str, run_number: int) -> SendJob | None:
    """None if the delivery does not exist or has moved on to another run."""
    row = session.execute(
        select(WebhookDelivery, WebhookEvent.body, Subscriber.key)
        .join(WebhookEvent, WebhookEvent.webhook_event_id == WebhookDelivery.webhook_event_id)
        .outerjoin(Subscriber, Subscriber.subscriber_id == WebhookDelivery.subscriber_id)
        .where(WebhookDelivery.delivery_uuid == delivery_uuid)
    ).first()
    if row is None or row[0].run_number != run_number:
        return None
    delivery, body, salt = row
    return SendJob(delivery.delivery_uuid, run_number, delivery.status, delivery.url, body, salt)


def record_attempt(
    session: Session,
    delivery_uuid: str,
    run_number: int,
    *,
    attempt: int,
    attempted_at: datetime,
    duration_ms: int,
    status_code: int | None,
    error: str | None,
) -> None:
    """Log one try; a success (error None) also marks the delivery delivered."""
    delivery = session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.delivery_uuid == delivery_uuid).with_for_update()
    )
    if delivery is None:
        return
    error = error[:ERROR_MAX_LENGTH] if error else None
    session.add(
        WebhookAttempt(
            webhook_delivery_id=delivery.webhook_delivery_id,
            run_number=run_number,
            attempt=attempt,
            attempted_at=attempted_at,
            duration_ms=duration_ms,
            status_code=status_code,
            error=error,
        )
    )
    if delivery.run_number != run_number:
        return
    delivery.attempt_count += 1
    delivery.last_attempt_at = attempted_at
    delivery.last_status_code = status_code
    delivery.last_error = error
    # Delivered is a fact even if an unsubscribe raced the POST.
    if error is None:
        delivery.status = "delivered"
        delivery.delivered_at = attempted_at


def mark_failed(session: Session, delivery_uuid: str, run_number: int, reason: str) -> str | None:
    """Retries are exhausted: the delivery stays `failed` until someone redelivers it.

    Returns the delivery's status afterwards: `cancelled` if an unsubscribe got there first.
    """
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.delivery_uuid == delivery_uuid,
            WebhookDelivery.run_number == run_number,
            WebhookDelivery.status == "pending",
        )
        .values(status="failed", last_error=f"gave up: {reason}"[:ERROR_MAX_LENGTH])
    )
    return session.scalar(
        select(WebhookDelivery.status).where(WebhookDelivery.delivery_uuid == delivery_uuid)
    )


def undispatched(session: Session, limit: int) -> list[DeliveryRef]:
    """Pending deliveries no dispatcher has started yet, oldest first (the outbox)."""
    rows = session.execute(
        select(WebhookDelivery, WebhookEvent.channel_name, WebhookEvent.product_imei)
        .join(WebhookEvent, WebhookEvent.webhook_event_id == WebhookDelivery.webhook_event_id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.dispatched_at.is_(None))
        .order_by(WebhookDelivery.webhook_delivery_id)
        .limit(limit)
    ).all()
    return [delivery_ref(delivery, channel, imei) for delivery, channel, imei in rows]


def mark_dispatched(session: Session, refs: list[DeliveryRef], now: datetime) -> None:
    for ref in refs:
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.delivery_uuid == ref.delivery_uuid,
                WebhookDelivery.run_number == ref.run_number,
                WebhookDelivery.dispatched_at.is_(None),
            )
            .values(dispatched_at=now)
        )
