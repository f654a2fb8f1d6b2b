"""Delivery receipts from the SMS gateway: they reach the unit's workflow, which settles the SMS."""

from __future__ import annotations

from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Header
from pydantic import BaseModel, Field, StrictStr

from api.deps import ClockDep, SessionDep
from api.input_types import JsonDateTime
from api.schemas.envelope import Done
from api.temporal import TemporalDep
from clients import device as device_workflows
from contracts.device import SmsReceipt
from core.settings import get_settings
from domain.device import wakeup
from domain.errors import NotFound, Unauthorized

router = APIRouter(prefix="/sms", tags=["sms gateway"])


class DeliveryReceipt(BaseModel):
    message_reference: StrictStr = Field(min_length=1, max_length=255)
    delivered_at: JsonDateTime | None = None


@router.post("/receipts", response_model=Done)
def delivery_receipt(
    receipt: DeliveryReceipt,
    session: SessionDep,
    temporal: TemporalDep,
    clock: ClockDep,
    x_sms_gateway_key: Annotated[str, Header()] = "",
) -> Done:
    if not get_settings().sms_receipt_key_accepted(x_sms_gateway_key):
        raise Unauthorized("Unknown SMS gateway")
    row = wakeup.find_by_reference(session, receipt.message_reference)
    if row is None:
        raise NotFound(f"No SMS with reference {receipt.message_reference}")
    delivered_at = (receipt.delivered_at or clock()).replace(tzinfo=None)
    message = SmsReceipt(message_reference=receipt.message_reference, delivered_at=delivered_at)
    if not from_thread.run(device_workflows.forward_receipt, temporal, row.product_imei, message):
        # Nothing watches this SMS any more; settle it here (a no-op if it already Expired or was Delivered).
        wakeup.settle_sms(session, row.sms_history_id, wakeup.DELIVERED, delivered_at)
    return Done(message="Receipt accepted")
