"""Pushing a unit's pending changes over its RTC link, and settling them when the unit confirms.

An RTC unit need not wait for its next RC-GET: its device workflow sends the RC-GET answer at once as a
STATE message (`state_message`). The unit's REPLY saying it took the message is a delivery, exactly as an
RC-GET answer is: `settle_state_reply` hands what that STATE carried to `pending.record_delivery`, the one
function that settles what an RC-GET delivered, inside the consumer's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from db.models.product import Product
from db.models.rtc import RtcMessageHistory
from domain.device import pending, software
from domain.device.models import PendingChanges, SwitchKind
from domain.device.switches import lock_product
from domain.rtc import mt
from domain.rtc.encoding import DecodeError, Frame, MtType, decode


@dataclass
class StateDelivery:
    """What a confirmed STATE message delivered (the same facts an RC-GET reports to the workflow)."""

    enable_flag: bool
    tamper_flag: bool
    offered_payment_commands: list[str] = field(default_factory=list)
    offered_software_id: int | None = None
    still_pending: bool = False


def state_push(
    session: Session, imei: str, message_id: str, now: datetime
) -> tuple[Frame | None, PendingChanges]:
    """The STATE message to push (recorded, for the caller to commit then publish) and what is pending;
    no message when the unit is not (or no longer) an RTC unit or nothing is pending."""
    product = session.get(Product, imei)
    if product is None:
        return None, PendingChanges()
    product = lock_product(session, imei)
    waiting = pending.load(session, product)
    if not product.rtc_enabled_flag or waiting.empty:
        return None, waiting
    return mt.state_message(session, product, message_id, now)


def settle_state_reply(session: Session, row: RtcMessageHistory, now: datetime) -> StateDelivery | None:
    """The unit confirmed MT message `row`: when it was a STATE, settle what it carried, as an RC-GET would.
    None for other messages (SYNC, PARAMETERS, COMMAND settle nothing by being delivered)."""
    try:
        message = decode(row.message_bin)
    except DecodeError:
        return None
    if message.type != MtType.STATE or not isinstance(message.body, dict):
        return None
    body = message.body
    offered = [str(command[0]) for command in body.get("p") or []]
    update = software.pending_update(session, row.product_imei)
    offered_name = (body.get("s") or [None])[0]
    software_id = update.product_software_linker_id if update and update.name == offered_name else None
    delivery = StateDelivery(
        enable_flag=bool(body["e"]),
        tamper_flag=bool(body["t"]),
        offered_payment_commands=offered,
        offered_software_id=software_id,
    )
    left = pending.record_delivery(
        session,
        row.product_imei,
        {SwitchKind.ENABLE: delivery.enable_flag, SwitchKind.TAMPER: delivery.tamper_flag},
        now,
        offered_commands=offered,
        offered_software_id=software_id,
    )
    delivery.still_pending = not left.empty
    return delivery
