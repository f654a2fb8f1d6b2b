"""The contract of the webhook workflows: one delivery run (`webhook/<delivery uuid>/<run>`) and the
outbox sweeper (`webhooks/outbox-sweeper`), their inputs, and their activities' names and inputs.
Only ids travel: the payload and the subscriber's key stay in the database, out of the history."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from core.settings import Settings

SWEEPER_ID = "webhooks/outbox-sweeper"
# ApplicationError type of one failed POST (retried by Temporal, logged without a stack trace).
ATTEMPT_FAILED = "WebhookAttemptFailed"
# ApplicationError type of a url the address policy refuses (not retried).
ADDRESS_REFUSED = "WebhookAddressRefused"


class WebhookActivity:
    """Activity names, as recorded in running workflows' histories: never rename one."""

    SEND = "webhook_send"
    MARK_FAILED = "webhook_mark_failed"
    DISPATCH_UNDISPATCHED = "webhook_dispatch_undispatched"


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


class DeliveryInput(BaseModel):
    """WebhookDeliveryWorkflow's input: one run of one delivery."""

    delivery_uuid: str
    run_number: int
    channel: str
    host: str
    retry: RetryConfig


class SendRequest(BaseModel):
    """One attempt of one run of a delivery."""

    delivery_uuid: str
    run_number: int
    timeout_seconds: float


class FailedDelivery(BaseModel):
    delivery_uuid: str
    run_number: int
    reason: str


class SweepInput(BaseModel):
    """The outbox sweeper's input: how often it looks, and how many rounds one run does before it
    continues as new (so its history stays short)."""

    every_seconds: float
    rounds_per_run: int = 500
