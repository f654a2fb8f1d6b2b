"""Messages between the dispatcher, the webhook workflows and their activities (pydantic, no I/O)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from core.settings import Settings


class RetryConfig(BaseModel):
    """How one delivery retries; read from the settings when the delivery is started, fixed for its run."""

    timeout_seconds: float
    initial_seconds: float
    backoff_coefficient: float
    max_interval_seconds: float
    max_age_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryConfig:
        return cls(
            timeout_seconds=settings.webhook_timeout_seconds,
            initial_seconds=settings.webhook_retry_initial_seconds,
            backoff_coefficient=settings.webhook_retry_backoff_coefficient,
            max_interval_seconds=settings.webhook_retry_max_interval_seconds,
            max_age_seconds=settings.webhook_retry_max_age_seconds,
        )

    @property
    def max_age(self) -> timedelta:
        return timedelta(seconds=self.max_age_seconds)


class SendRequest(BaseModel):
    """One run of one delivery. Only ids: the payload and the key stay in the database, out of history."""

    delivery_uuid: str
    run_number: int
    timeout_seconds: float


class DeliveryInput(BaseModel):
    delivery_uuid: str
    run_number: int
    channel: str
    host: str
    retry: RetryConfig


class FailedDelivery(BaseModel):
    delivery_uuid: str
    run_number: int
    reason: str
