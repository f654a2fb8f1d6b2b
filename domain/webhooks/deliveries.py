"""Deliveries and their attempts as the API shows them, and redelivery. ENTITY users see their own only."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from db.models.user import User
from db.models.webhooks import DELIVERY_STATUSES, WebhookAttempt, WebhookDelivery, WebhookEvent
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.permissions import Scope
from domain.webhooks.kicks import start_after_commit
from domain.webhooks.outbox import delivery_ref


def visible_to(user: User) -> ColumnElement[bool]:
    """Deliveries of the user's own subscriptions: their entity's, or all of them for GLOBAL users."""
    if user.scope is Scope.GLOBAL:
        return true()
    if user.entity_id is None:
        return false()
    return WebhookDelivery.entity_id == user.entity_id


def deliveries_query(user: User, *, channel: str | None = None, status: str | None = None) -> Select:
    if status is not None and status not in DELIVERY_STATUSES:
        raise ValidationFailed(
            f"Unknown delivery status '{status}'",
            validation_errors={"status": f"must be one of {', '.join(DELIVERY_STATUSES)}"},
        )
    query = (
        select(WebhookDelivery, WebhookEvent)
        .join(WebhookEvent, WebhookEvent.webhook_event_id == WebhookDelivery.webhook_event_id)
        .where(visible_to(user))
        .order_by(WebhookDelivery.webhook_delivery_id.desc())
    )
    if channel is not None:
        query = query.where(WebhookEvent.channel_name == channel)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return query


def get_delivery(session: Session, user: User, delivery_id: int, *, for_update: bool = False):
    query = deliveries_query(user).where(WebhookDelivery.webhook_delivery_id == delivery_id)
    if for_update:
        query = query.with_for_update(of=WebhookDelivery)
    row = session.execute(query).first()
    if row is None:  # another entity's delivery is "not found" too, so its existence does not leak
        raise NotFound(f"Webhook delivery #{delivery_id} not found")
    return row


def attempts_of(session: Session, delivery_id: int) -> list[WebhookAttempt]:
    return list(
        session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.webhook_delivery_id == delivery_id)
            .order_by(WebhookAttempt.webhook_attempt_id)
        )
    )


def redeliver(session: Session, user: User, delivery_id: int) -> tuple[WebhookDelivery, WebhookEvent]:
    """Send a finished delivery again, as a new run with the same delivery id (receivers may dedupe on it)."""
    delivery, event = get_delivery(session, user, delivery_id, for_update=True)
    if delivery.status == "pending":
        raise Conflict(
            f"Webhook delivery #{delivery_id} is still being delivered "
            f"({delivery.attempt_count} attempts so far); it cannot be redelivered until it ends"
        )
    if delivery.subscriber_id is None:
        raise Conflict(f"Webhook delivery #{delivery_id} cannot be redelivered: its subscription was removed")
    delivery.status = "pending"
    delivery.run_number += 1
    delivery.dispatched_at = None
    delivery.last_error = None
    session.flush()
    start_after_commit(session, [delivery_ref(delivery, event.channel_name, event.product_imei)])
    return delivery, event


def delivery_view(delivery: WebhookDelivery, event: WebhookEvent) -> dict[str, Any]:
    return {
        "webhook_delivery_id": delivery.webhook_delivery_id,
        "delivery_uuid": delivery.delivery_uuid,
        "webhook_event_id": event.webhook_event_id,
        "channel_name": event.channel_name,
        "product_imei": event.product_imei,
        "subscriber_id": delivery.subscriber_id,
        "url": delivery.url,
        "entity_id": delivery.entity_id,
        "status": delivery.status,
        "run_number": delivery.run_number,
        "attempt_count": delivery.attempt_count,
        "last_attempt_at": delivery.last_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
        "created_at": delivery.created_at,
        "payload": json.loads(event.body),
    }


def attempt_view(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "webhook_attempt_id": attempt.webhook_attempt_id,
        "run_number": attempt.run_number,
        "attempt": attempt.attempt,
        "attempted_at": attempt.attempted_at,
        "duration_ms": attempt.duration_ms,
        "status_code": attempt.status_code,
        "error": attempt.error,
    }
