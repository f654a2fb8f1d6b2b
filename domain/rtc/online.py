"""Online status of RTC units: `rtc_connection_history` rows and the product's `latest_rtc_*` columns.

A row is written when the status changes (or when a user sets it, reason `user-request`); every message
from a unit moves the current row's `latest_message_time` and brings an offline unit back online
(reason `message-received`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.product import Product
from db.models.rtc import RtcConnectionHistory
from domain.errors import BadRequest, ValidationFailed

ONLINE = "online"
OFFLINE = "offline"
REASONS = ("user-request", "unknown", "low-battery-voltage", "inactivity", "sleep-mode", "message-received")


def ensure_rtc(product: Product) -> None:
    if not product.rtc_enabled_flag:
        raise BadRequest(f"Product {product.product_imei} is not RTC-enabled")


def current(session: Session, product: Product) -> RtcConnectionHistory | None:
    if product.latest_rtc_connection_history_id is None:
        return None
    return session.get(RtcConnectionHistory, product.latest_rtc_connection_history_id)


def load_current(session: Session, products: list[Product]) -> list[RtcConnectionHistory]:
    """Read the current rows of several units in one statement (a batch): while the caller holds the list
    (the session keeps rows only weakly), `current` finds them loaded."""
    ids = [p.latest_rtc_connection_history_id for p in products if p.latest_rtc_connection_history_id]
    if not ids:
        return []
    query = select(RtcConnectionHistory).where(RtcConnectionHistory.rtc_connection_history_id.in_(ids))
    return list(session.scalars(query))


def is_offline(session: Session, product: Product) -> bool:
    """Known to be offline. A unit never heard of is tried (the broker says at once if its link is down)."""
    row = current(session, product)
    return row is not None and row.connection_status == OFFLINE


def set_status(
    session: Session,
    product: Product,
    status: str,
    reason: str,
    now: datetime,
    info: str | None = None,
    message_time: datetime | None = None,
) -> RtcConnectionHistory:
    if status not in (ONLINE, OFFLINE):
        raise ValidationFailed(
            "status must be 'online' or 'offline'", validation_errors={"status": "'online' or 'offline'"}
        )
    if reason not in REASONS:
        reason = "unknown"
    row = current(session, product)
    if row is not None and row.connection_status == status and reason != "user-request":
        if message_time is not None:
            row.latest_message_time = message_time
        return row
    row = RtcConnectionHistory(
        product_imei=product.product_imei,
        connection_status=status,
        connection_status_time=now,
        connection_status_reason=reason,
        connection_status_info=(info or "")[:255] or None,
        latest_message_time=message_time or (row.latest_message_time if row is not None else None),
    )
    session.add(row)
    session.flush()
    product.latest_rtc_connection_history_id = row.rtc_connection_history_id
    return row


def message_received(session: Session, product: Product, now: datetime) -> None:
    set_status(session, product, ONLINE, "message-received", now, message_time=now)
