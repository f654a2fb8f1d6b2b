"""Activities of the device and wake-up workflows. Plain `def`: they do blocking database and HTTP work
in the worker's thread pool. Built with their dependency (the SMS gateway), as samples-python does."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.device import (
    PRODUCT_NOT_FOUND,
    CancelInput,
    ConnectedSinceInput,
    DeviceActivity,
    PendingChanges,
    RecordDeliveryInput,
    SendSmsInput,
    SettleSmsInput,
    SmsRecord,
)
from core.clock import utcnow
from db.models.product import Product
from db.session import session_scope
from domain.device import pending, wakeup
from domain.sms_gateway import SmsGateway


class DeviceActivities:
    def __init__(self, gateway: SmsGateway) -> None:
        self._gateway = gateway

    def all(self) -> list[Callable]:
        return [
            self.load_pending_changes,
            self.record_delivery,
            self.cancel_pending_changes,
            self.send_wakeup_sms,
            self.settle_sms,
            self.unit_connected_since,
        ]

    @activity.defn(name=DeviceActivity.LOAD_PENDING)
    def load_pending_changes(self, imei: str) -> PendingChanges:
        with session_scope(actor="system:device") as session:
            product = session.get(Product, imei)
            if product is None:
                return PendingChanges()
            return pending.load(session, product)

    @activity.defn(name=DeviceActivity.RECORD_DELIVERY)
    def record_delivery(self, input: RecordDeliveryInput) -> PendingChanges:
        """Settle what an RC-GET delivered, and answer what is left; when the RC-GET recorded it in its own
        transaction, only read what is left (recording again would count the update's offer twice)."""
        with session_scope(actor="system:device") as session:
            if input.recorded:
                product = session.get(Product, input.imei)
                return PendingChanges() if product is None else pending.load(session, product)
            return pending.record_delivery(
                session,
                input.imei,
                input.delivered,
                input.at,
                offered_commands=input.offered_payment_commands,
                offered_software_id=input.offered_software_id,
            )

    @activity.defn(name=DeviceActivity.CANCEL_PENDING)
    def cancel_pending_changes(self, input: CancelInput) -> PendingChanges:
        with session_scope(actor=input.user) as session:
            return pending.cancel(session, input.imei, input.user, utcnow())

    @activity.defn(name=DeviceActivity.SEND_WAKEUP_SMS)
    def send_wakeup_sms(self, input: SendSmsInput) -> SmsRecord:
        """Send the WAKEUP through the gateway, then store its sms_history row (status NULL)."""
        with session_scope(actor=input.user) as session:
            product = session.get(Product, input.imei)
            if product is None:
                raise ApplicationError(
                    f"Product {input.imei} not found", type=PRODUCT_NOT_FOUND, non_retryable=True
                )
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

    @activity.defn(name=DeviceActivity.SETTLE_SMS)
    def settle_sms(self, input: SettleSmsInput) -> bool:
        with session_scope(actor="system:sms") as session:
            return wakeup.settle_sms(session, input.sms_history_id, input.status, input.at)

    @activity.defn(name=DeviceActivity.UNIT_CONNECTED_SINCE)
    def unit_connected_since(self, input: ConnectedSinceInput) -> bool:
        """Whether the unit reported (RC-POST) since then: a wake-up then needs no retry."""
        with session_scope(actor="system:sms") as session:
            return wakeup.connected_since(session, input.imei, input.since)
