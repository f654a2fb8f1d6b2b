"""Delivery receipts from the SMS gateway: the SMS is settled here, in the database (Delivered, or Expired when
the receipt came after its timeout); a wake-up still waiting for it (the unit has not connected yet) hears of
it too, to plan its next retry. Once the unit has connected no workflow waits for its SMS."""

from __future__ import annotations

import logging
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field, StrictStr

from api.deps import ClockDep, SessionDep
from api.input_types import JsonDateTime
from api.schemas.envelope import Done
from api.temporal import client_for_app
from clients import device as device_workflows
from clients.temporal import WorkflowUnavailable
from contracts.device import SmsReceipt
from core.settings import get_settings
from domain.device import wakeup
from domain.errors import NotFound, Unauthorized

log = logging.getLogger(__name__)
router = APIRouter(prefix="/sms", tags=["sms gateway"])


class DeliveryReceipt(BaseModel):
    message_reference: StrictStr = Field(min_length=1, max_length=255)
    delivered_at: JsonDateTime | None = None


@router.post("/receipts", response_model=Done)
def delivery_receipt(
    receipt: DeliveryReceipt,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    x_sms_gateway_key: Annotated[str, Header()] = "",
) -> Done:
    if not get_settings().sms_receipt_key_accepted(x_sms_gateway_key):
        raise Unauthorized("Unknown SMS gateway")
    row = wakeup.find_by_reference(session, receipt.message_reference)
    if row is None:
        raise NotFound(f"No SMS with reference {receipt.message_reference}")
    delivered_at = (receipt.delivered_at or clock()).replace(tzinfo=None)
    message = SmsReceipt(message_reference=receipt.message_reference, delivered_at=delivered_at)
    # A no-op when it already has its outcome: a repeated or late receipt changes nothing.
    settled = wakeup.settle_sms(
        session, row.sms_history_id, wakeup.receipt_status(row, delivered_at), delivered_at
    )
    if settled:
        session.commit()  # the outcome stands whatever Temporal does
        try:
            from_thread.run(_forward, request.app, row.product_imei, message)
        except WorkflowUnavailable as err:
            # A wake-up waiting for it plans its retry at the SMS's timeout instead.
            log.warning("receipt %s not forwarded to a workflow: %s", receipt.message_reference, err)
    return Done(message="Receipt accepted")


async def _forward(app, imei: str, message: SmsReceipt) -> None:
    await device_workflows.forward_receipt(await client_for_app(app), imei, message)
