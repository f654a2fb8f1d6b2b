"""Activities of the device and wake-up workflows. Plain `def`: they do blocking database and HTTP work
in the worker's thread pool. Built with their dependency (the SMS gateway), as samples-python does."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.clock import utcnow
from db.models.product import Product
from db.session import session_scope
from domain.device import pending, wakeup
from domain.device.models import PendingChanges, SmsRecord, SwitchKind
from domain.sms_gateway import SmsGateway


class DeliveryInput(BaseModel):
    imei: str
    delivered: dict[SwitchKind, bool]
    at: datetime
    offered_payment_commands: list[str] = Field(default_factory=list)
    offered_software_id: int | None = None


class CancelInput(BaseModel):
    imei: str
    user: str


class SendSmsInput(BaseModel):
    imei: str
    # The workflow's clock, so the row's sms_timeout is the deadline the workflow actually waits for.
    sent_at: datetime
    enable_history_id: int | None
    attempted_retries: int
    timeout_seconds: float
    user: str
    trigger: str = "wakeup"


class SettleSmsInput(BaseModel):
    sms_history_id: int
    status: str
    at: datetime


class DeviceActivities:
    def __init__(self, gateway: SmsGateway) -> None:
        self._gateway = gateway

    @activity.defn
    def load_pending_changes(self, imei: str) -> PendingChanges:
        with session_scope(actor="system:device") as session:
            product = session.get(Product, imei)
            if product is None:
                return PendingChanges()
            return pending.load(session, product)

    @activity.defn
    def record_delivery(self, input: DeliveryInput) -> PendingChanges:
        with session_scope(actor="system:device") as session:
            return pending.record_delivery(
                session,
                input.imei,
                input.delivered,
                input.at,
                offered_commands=input.offered_payment_commands,
                offered_software_id=input.offered_software_id,
            )

    @activity.defn
    def cancel_pending_changes(self, input: CancelInput) -> PendingChanges:
        with session_scope(actor=input.user) as session:
            return pending.cancel(session, input.imei, input.user, utcnow())

    @activity.defn
    def send_wakeup_sms(self, input: SendSmsInput) -> SmsRecord:
        """Send the WAKEUP through the gateway, then store its sms_history row (status NULL)."""
        with session_scope(actor=input.user) as session:
            product = session.get(Product, input.imei)
            if product is None:
                raise ApplicationError(f"Product {input.imei} not found", non_retryable=True)
            reference = self._gateway.send(imei=input.imei, imsi=product.imsi, message=wakeup.WAKEUP_MESSAGE)
            return wakeup.record_sent_sms(
                session,
                imei=input.imei,
                message_reference=reference,
                sent_time=input.sent_at,
                timeout_seconds=input.timeout_seconds,
                attempted_retries=input.attempted_retries,
                enable_history_id=input.enable_history_id,
                trigger=input.trigger,
            )

    @activity.defn
    def settle_sms(self, input: SettleSmsInput) -> bool:
        with session_scope(actor="system:sms") as session:
            return wakeup.settle_sms(session, input.sms_history_id, input.status, input.at)
