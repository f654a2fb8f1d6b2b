"""Webhook subscriptions and deliveries: what an ADMIN sees of each POST to a subscriber."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.envelope import Envelope, Page
from api.schemas.times import UtcDateTime


class Subscribed(BaseModel):
    url: str
    channel_name: str
    key: str = Field(description="Signs this subscriber's notifications; shown this once only")


class Delivery(BaseModel):
    """One event's delivery to one subscriber, and how its attempts went."""

    webhook_delivery_id: int
    delivery_uuid: str
    webhook_event_id: int
    channel_name: str
    product_imei: str | None
    subscriber_id: int | None
    url: str
    entity_id: int | None
    status: str
    run_number: int
    attempt_count: int
    last_attempt_at: UtcDateTime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: UtcDateTime | None
    created_at: UtcDateTime | None
    payload: Any = Field(description="The JSON body POSTed to the subscriber")


class Attempt(BaseModel):
    webhook_attempt_id: int
    run_number: int
    attempt: int
    attempted_at: UtcDateTime
    duration_ms: int
    status_code: int | None
    error: str | None


class DeliveryWithAttempts(Delivery):
    attempts: list[Attempt] = Field(description="Every try, oldest first")


SubscriptionMade = Envelope[Subscribed]
DeliveryPage = Page[Delivery]
Redelivery = Envelope[Delivery]
