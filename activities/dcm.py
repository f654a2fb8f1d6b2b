"""Activities of the DCM side of the device workflow: the SMS fallback for payment commands.

Plain `def` (blocking database and HTTP work in the worker's thread pool), built with the SMS gateway."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.device import PRODUCT_NOT_FOUND, DeviceActivity, PaymentSmsInput, PaymentSmsResult
from db.models.product import Product
from db.session import session_scope
from domain.dcm import commands
from domain.device import wakeup
from domain.sms_gateway import SmsGateway

SMS_TRIGGER = "payment_command"


def payment_sms_text(transaction_id: str, category: str, value: int) -> str:
    """One command per SMS: `DCM <transaction_id> <category> <value>`; the unit applies it once per id."""
    return f"DCM {transaction_id} {category} {value}"


class CreditActivities:
    def __init__(self, gateway: SmsGateway) -> None:
        self._gateway = gateway

    def all(self) -> list[Callable]:
        return [self.send_payment_sms]

    @activity.defn(name=DeviceActivity.SEND_PAYMENT_SMS)
    def send_payment_sms(self, input: PaymentSmsInput) -> PaymentSmsResult:
        """Send every still-outstanding command among `transaction_ids` by SMS (in order), record each in
        sms_history and mark the commands `sms-sent`. Commands acknowledged meanwhile are skipped."""
        with session_scope(actor="system:dcm") as session:
            product = session.get(Product, input.imei)
            if product is None:
                raise ApplicationError(
                    f"Product {input.imei} not found", type=PRODUCT_NOT_FOUND, non_retryable=True
                )
            wanted = set(input.transaction_ids)
            due = [c for c in session.scalars(commands.outstanding(input.imei)) if c.transaction_id in wanted]
            sent = []
            for command in due:
                text = payment_sms_text(command.transaction_id, command.category, command.value)
                reference = self._gateway.send(imei=input.imei, imsi=product.imsi, message=text)
                sent.append(
                    wakeup.record_sent_sms(
                        session,
                        imei=input.imei,
                        message_reference=reference,
                        sent_time=input.sent_at,
                        timeout_seconds=input.timeout_seconds,
                        attempted_retries=input.attempted_retries,
                        enable_history_id=None,
                        trigger=SMS_TRIGGER,
                        message=text,
                    )
                )
            sent_ids = [c.transaction_id for c in due]
            commands.record_sent(session, input.imei, sent_ids, commands.SMS_SENT)
            return PaymentSmsResult(sms=sent, transaction_ids=sent_ids)
