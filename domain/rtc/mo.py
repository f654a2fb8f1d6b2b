"""Processing one message from a unit (RTC-MO) or one delivery report (RTC-MT.Reply), inside the caller's
transaction: status reports as an RC-POST, telemetry as `rm_data`, events (online/offline), replies.

Each message becomes an `rtc_mo_message_history` row keyed by its id, so a redelivered message has one effect
(`Duplicate`). A message that cannot be processed raises `Poison` with the reason: the consumer then
dead-letters it. Its `failed` row is written without the id, so replaying it after a fix processes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from core.settings import Settings
from db.models.product import Product
from domain.device.switches import lock_product
from domain.device.unit_protocol import RcReport, record_rc_post
from domain.errors import AppError
from domain.rtc import histories, online
from domain.rtc.encoding import DecodeError, Frame, MoType, decode
from domain.rtc.push import StateDelivery, settle_state_reply
from domain.telemetry.service import open_store, write_readings


class Poison(Exception):
    """This message can never be processed as it is: dead-letter it with `reason`."""

    def __init__(self, reason: str, imei: str | None = None, frame: Frame | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.imei = imei
        self.frame = frame


@dataclass
class MoOutcome:
    imei: str
    message_id: str
    kind: int
    duplicate: bool = False
    settled: bool = False  # a status report settled something: the unit's workflow reloads
    reply: tuple[str, bool] | None = None  # (MT message id, delivered): the waiting workflow hears of it
    delivery: StateDelivery | None = None  # a confirmed STATE settled what it carried, as an RC-GET does
    went_online: bool = False
    at: datetime | None = None
    notes: list[str] = field(default_factory=list)


def store_telemetry(
    session: Session, imei: str, readings: list[dict], now: datetime, settings: Settings
) -> int:
    """Telemetry from an RTC unit, written to the telemetry store as `rm_data` writes (all or none)."""
    return write_readings(open_store(settings, session), imei, readings, now)


def process(
    session: Session, imei: str | None, data: bytes, now: datetime, settings: Settings, *, reply_queue: bool
) -> MoOutcome:
    try:
        frame = decode(data)
    except DecodeError as err:
        raise Poison(str(err), imei) from err
    if not imei:
        raise Poison("no `ident` header: which unit sent this is unknown", None, frame)
    if session.get(Product, imei) is None:
        raise Poison(f"unknown unit {imei}", imei, frame)
    outcome = MoOutcome(imei=imei, message_id=frame.message_id, kind=frame.type, at=now)
    product = lock_product(session, imei)  # one message per unit at a time, like RC-POSTs
    if histories.seen_mo(session, imei, frame.message_id):
        outcome.duplicate = True
        return outcome
    savepoint = session.begin_nested()
    try:
        # Any message means the unit is online now; its own events (Disconnected ...) come after.
        outcome.went_online = online.is_offline(session, product)
        online.message_received(session, product, now)
        _apply(session, product, frame, now, settings, outcome, reply_queue)
        histories.record_mo(session, imei, frame, data, now, histories.PROCESSED, "; ".join(outcome.notes))
        savepoint.commit()
    except (ValidationError, AppError, ValueError, TypeError, KeyError) as err:
        savepoint.rollback()
        reason = _reason(err)
        row = histories.record_mo(session, imei, frame, data, now, histories.FAILED, reason)
        row.message_reference = None  # a replay after a fix must be processed, not seen as a repeat
        raise Poison(reason, imei, frame) from err
    return outcome


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return f"invalid body: {where}: {first['msg']}"
    if isinstance(err, AppError):
        return err.message
    return f"{type(err).__name__}: {err}"


def _apply(
    session: Session,
    product: Product,
    frame: Frame,
    now: datetime,
    settings: Settings,
    outcome: MoOutcome,
    reply_queue: bool,
) -> None:
    imei = product.product_imei
    if reply_queue != (frame.type == MoType.REPLY):
        where = "RTC-MT.Reply" if reply_queue else "RTC-MO"
        raise ValueError(f"message type {frame.type} does not belong on {where}")
    if frame.type == MoType.STATUS:
        report = RcReport.model_validate(frame.body)
        result = record_rc_post(session, imei, report, now, settings.software_max_update_attempts)
        product.latest_rtc_mo_status_report_time = now
        outcome.settled = result.settled
        outcome.notes.append(f"connection {result.connection_id}")
    elif frame.type == MoType.TELEMETRY:
        if not isinstance(frame.body, list):
            raise ValueError("telemetry body must be a list of readings")
        outcome.notes.append(f"{store_telemetry(session, imei, frame.body, now, settings)} readings")
    elif frame.type == MoType.EVENTS:
        _events(session, product, frame.body, now, outcome)
    elif frame.type == MoType.REPLY:
        reference, delivered, info = _reply(frame.body)
        row = histories.settle_mt(session, reference, delivered, info, now)
        if row is None:
            raise ValueError(f"reply to an unknown MT message {reference}")
        if row.product_imei != imei:
            raise ValueError(f"reply to MT message {reference} of another unit")
        outcome.reply = (reference, delivered)
        if delivered:
            outcome.delivery = settle_state_reply(session, row, now)
        outcome.notes.append(f"reply to {reference}: {'delivered' if delivered else 'failed'}")
    else:
        raise ValueError(f"unknown message type {frame.type}")


def _reply(body) -> tuple[str, bool, str | None]:
    if not isinstance(body, list) or len(body) not in (2, 3):
        raise ValueError("reply body must be [mt message id, delivered, info]")
    reference, delivered, *rest = body
    if isinstance(reference, bytes):
        reference = reference.hex()
    if not isinstance(reference, str) or not isinstance(delivered, bool):
        raise ValueError("reply body must be [mt message id, delivered, info]")
    info = rest[0] if rest else None
    return reference, delivered, None if info is None else str(info)


def _events(session: Session, product: Product, body, now: datetime, outcome: MoOutcome) -> None:
    if not isinstance(body, list) or not all(isinstance(e, list) and len(e) == 2 for e in body):
        raise ValueError("events body must be [[unix time, text], ...]")
    for at, text in body:
        if not isinstance(at, int) or not isinstance(text, str):
            raise ValueError("an event is [unix time, text]")
        if text == "Connected":
            online.set_status(session, product, online.ONLINE, "message-received", now, message_time=now)
            outcome.went_online = True
        elif text.startswith("Disconnected"):
            reason = text.removeprefix("Disconnected").strip() or "unknown"
            online.set_status(session, product, online.OFFLINE, reason, now, info=text, message_time=now)
    outcome.notes.append(f"{len(body)} events")
