"""`rtc_message_history` (MT, to units) and `rtc_mo_message_history` (MO, from units): one row per message,
keyed by its message id, so a message published or delivered twice is one row."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from db.models.product import Product
from db.models.rtc import RtcMessageHistory, RtcMoMessageHistory
from domain.rtc.encoding import Frame, MtType

PROCESSED = "processed"
FAILED = "failed"
DELIVERED = "delivered"
NOT_DELIVERED = "failed"


def as_json(frame: Frame) -> str:
    """The doc's `message_json` (255 characters): the frame as JSON, cut with an ellipsis when longer."""
    text = json.dumps([frame.type, frame.body, frame.message_id], separators=(",", ":"), default=str)
    return text if len(text) <= 255 else text[:252] + "..."


def record_mt(session: Session, product: Product, frame: Frame, now: datetime) -> RtcMessageHistory:
    """The MT row of a message about to be published (the same id again returns the first row)."""
    row = mt_row(session, frame.message_id)
    if row is not None:
        return row
    row = RtcMessageHistory(
        product_imei=product.product_imei,
        message_reference=frame.message_id,
        message_bin=frame.encode(),
        message_json=as_json(frame),
        message_sent_time=now,
    )
    session.add(row)
    if frame.type in (MtType.STATE, MtType.PARAMETERS):
        product.latest_rtc_mt_status_update_time = now
    session.flush()
    return row


def mt_row(session: Session, reference: str) -> RtcMessageHistory | None:
    return session.scalar(select(RtcMessageHistory).where(RtcMessageHistory.message_reference == reference))


def settle_mt(
    session: Session, reference: str, delivered: bool, info: str | None, now: datetime
) -> RtcMessageHistory | None:
    """The unit's delivery report (or the publisher's failure): `delivered` / `failed`, with its info."""
    row = mt_row(session, reference)
    if row is None:
        return None
    row.delivery_status = DELIVERED if delivered else NOT_DELIVERED
    row.delivery_status_time = now
    row.delivery_status_info = (info or "")[:255] or None
    return row


def seen_mos(session: Session, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (imei, message id) pairs already have their row: one statement for a batch."""
    if not keys:
        return set()
    pair = tuple_(RtcMoMessageHistory.product_imei, RtcMoMessageHistory.message_reference)
    found = session.execute(
        select(RtcMoMessageHistory.product_imei, RtcMoMessageHistory.message_reference).where(pair.in_(keys))
    )
    return {(imei, reference) for imei, reference in found}


def seen_mo(session: Session, imei: str, reference: str) -> bool:
    return (
        session.scalar(
            select(RtcMoMessageHistory.rtc_mo_message_history_id).where(
                RtcMoMessageHistory.product_imei == imei, RtcMoMessageHistory.message_reference == reference
            )
        )
        is not None
    )


def record_mo(
    session: Session,
    imei: str,
    frame: Frame,
    data: bytes,
    now: datetime,
    status: str,
    info: str | None = None,
    *,
    flush: bool = True,
) -> RtcMoMessageHistory:
    """The MO row (`flush=False`: a batch writes its rows in one statement at its next flush)."""
    row = RtcMoMessageHistory(
        product_imei=imei,
        message_reference=frame.message_id,
        message_bin=data,
        message_json=as_json(frame),
        message_received_time=now,
        processing_status=status,
        processing_status_info=(info or "")[:255] or None,
    )
    session.add(row)
    if flush:
        session.flush()
    return row
