"""The transactional outbox: an event and its deliveries are written in the caller's transaction.

So an event exists if and only if the change that caused it committed. Turning pending deliveries
into delivery workflows is the dispatcher's job (after commit) and the sweeper's (after a crash).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.alert import Subscriber
from db.models.webhooks import WebhookDelivery, WebhookEvent
from domain.scope import UnitScope
from domain.webhooks.kicks import DeliveryRef, start_after_commit

DOC_DATETIME = "%Y-%m-%d %H:%M:%S"  # the doc's "datetime-str": "2016-01-01 00:00:00"


def record_event(
    session: Session, channel: str, data: dict[str, Any], *, product_imei: str | None = None
) -> WebhookEvent | None:
    """Store `data` on `channel` and one pending delivery per subscriber allowed to see `product_imei`.

    Nothing is stored when no one listens. Never flushes: it may run inside a flush hook (alerts).
    """
    subscribers = eligible_subscribers(session, channel, product_imei)
    if not subscribers:
        return None
    occurred_at = utcnow()
    event = WebhookEvent(
        channel_name=channel,
        product_imei=product_imei,
        occurred_at=occurred_at,
        body=encode_body(channel, occurred_at, data),
    )
    session.add(event)
    refs = []
    for subscriber in subscribers:
        delivery = new_delivery(event, subscriber)
        session.add(delivery)
        refs.append(delivery_ref(delivery, channel, product_imei))
    start_after_commit(session, refs)
    return event


def eligible_subscribers(session: Session, channel: str, product_imei: str | None) -> list[Subscriber]:
    """The channel's subscribers whose entity may see the unit (GLOBAL ones see all; no unit: GLOBAL only)."""
    # No flush first: what the request changed so far is not what subscribers are, and flushing it here
    # would cost the request's rows an extra UPDATE each (they are flushed once at commit).
    with session.no_autoflush:
        subscribers = session.scalars(
            select(Subscriber).where(Subscriber.channel_name == channel).order_by(Subscriber.subscriber_id)
        ).all()
    visible: dict[int | None, bool] = {None: True}
    for entity_id in {s.entity_id for s in subscribers} - {None}:
        visible[entity_id] = product_imei is not None and bool(
            session.scalar(select(UnitScope(entity_id=entity_id).imei_visible(product_imei)))
        )
    return [s for s in subscribers if visible[s.entity_id]]


def new_delivery(event: WebhookEvent, subscriber: Subscriber) -> WebhookDelivery:
    return WebhookDelivery(
        event=event,
        delivery_uuid=str(uuid.uuid4()),
        subscriber_id=subscriber.subscriber_id,
        url=subscriber.url,
        entity_id=subscriber.entity_id,
        status="pending",
        run_number=1,
        attempt_count=0,
    )


def delivery_ref(delivery: WebhookDelivery, channel: str, product_imei: str | None) -> DeliveryRef:
    return DeliveryRef(
        delivery_uuid=delivery.delivery_uuid,
        run_number=delivery.run_number,
        channel=channel,
        product_imei=product_imei,
        entity_id=delivery.entity_id,
        host=urlsplit(delivery.url).hostname or "",
    )


def encode_body(channel: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """The doc's payload `{"channel", "timestamp", "data"}`, serialised once: the exact bytes signed."""
    payload = {"channel": channel, "timestamp": occurred_at.isoformat(), "data": data}
    return json.dumps(payload, default=_json_value, ensure_ascii=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(DOC_DATETIME)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable in a webhook payload")
