"""Wake-up SMS rules and their sms_history rows (the doc's "WakeUp" and "Delivery Notifications").

Status of a row: NULL = sent, not yet known; `Delivered` (modified_at = delivery time);
`Expired` = no receipt within `sms_timeout`, the SMS will not affect the unit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.history import Connection, SmsHistory
from db.models.software import ProductSoftwareLinker, SoftwareVersionType
from domain.device.models import SmsRecord
from domain.device.software import installed

# The doc's list: only these versions wake up on an SMS.
WAKEUP_ENABLED_SOFTWARE = frozenset(
    ["2.15", "2.16", "3.2", "3.3", "3.4", "3.5", "3.6", "3.6a"] + [f"hub-stc-{n}" for n in range(1, 7)]
)
WAKEUP_MESSAGE = "WAKEUP"
DELIVERED = "Delivered"
EXPIRED = "Expired"


def current_software(session: Session, imei: str) -> str | None:
    """The name of the software the unit last reported (its installed product_software_linker row)."""
    return session.scalar(
        select(SoftwareVersionType.name)
        .join(
            ProductSoftwareLinker,
            ProductSoftwareLinker.software_version_type_id == SoftwareVersionType.software_version_type_id,
        )
        .where(ProductSoftwareLinker.product_imei == imei, installed())
        .order_by(ProductSoftwareLinker.product_software_linker_id.desc())
        .limit(1)
    )


def wakeup_enabled(session: Session, imei: str) -> bool:
    return current_software(session, imei) in WAKEUP_ENABLED_SOFTWARE


def record_sent_sms(
    session: Session,
    *,
    imei: str,
    message_reference: str,
    sent_time: datetime,
    timeout_seconds: float,
    attempted_retries: int,
    enable_history_id: int | None,
    trigger: str = "wakeup",
    message: str | None = None,
) -> SmsRecord:
    row = SmsHistory(
        product_imei=imei,
        message_reference=message_reference,
        message=message,
        sent_time=sent_time,
        sms_timeout=sent_time + timedelta(seconds=timeout_seconds),
        attempted_retries=attempted_retries,
        enable_history_id=enable_history_id,
        trigger=trigger,
        status=None,
    )
    session.add(row)
    session.flush()
    return to_record(row)


def to_record(row: SmsHistory) -> SmsRecord:
    return SmsRecord(
        sms_history_id=row.sms_history_id,
        product_imei=row.product_imei,
        message_reference=row.message_reference or "",
        attempted_retries=row.attempted_retries,
        sent_time=row.sent_time,
        sms_timeout=row.sms_timeout,
        enable_history_id=row.enable_history_id,
    )


def find_by_reference(session: Session, message_reference: str) -> SmsHistory | None:
    return session.scalar(select(SmsHistory).where(SmsHistory.message_reference == message_reference))


def connected_since(session: Session, imei: str, since: datetime) -> bool:
    """Whether the unit has connected (an RC-POST's connection row) since `since`."""
    return bool(
        session.scalar(
            select(Connection.connection_id)
            .where(Connection.product_imei == imei, Connection.date >= since)
            .limit(1)
        )
    )


def receipt_status(row: SmsHistory, delivered_at: datetime) -> str:
    """A receipt within the SMS's timeout delivers it; a later one finds it already expired."""
    return DELIVERED if row.sms_timeout is None or delivered_at <= row.sms_timeout else EXPIRED


def expire_overdue(session: Session, now: datetime) -> int:
    """Every SMS still without an outcome past its timeout is Expired (the sweep: no workflow waits for
    an SMS once its unit has connected)."""
    result = session.execute(
        update(SmsHistory)
        .where(SmsHistory.status.is_(None), SmsHistory.sms_timeout < now)
        .values(status=EXPIRED, modified_at=SmsHistory.sms_timeout)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def settle_sms(session: Session, sms_history_id: int, status: str, at: datetime) -> bool:
    """Set Delivered or Expired once: a late or repeated receipt cannot overwrite the first outcome."""
    result = session.execute(
        update(SmsHistory)
        .where(SmsHistory.sms_history_id == sms_history_id, SmsHistory.status.is_(None))
        .values(status=status, modified_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)
