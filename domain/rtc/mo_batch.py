"""Status reports of several units in one transaction: what makes the MO consumer keep up with the broker.

A status report processed alone (`mo.process`) is about ten statements; most of its cost is round trips and
SQLAlchemy's per-statement work. A batch reads every unit's row (locked, in IMEI order) and what waits for it in
one statement, which reports were seen before in one, the units' online rows in one, then inserts every
connection row in one and every history row in one. Same effects as `mo.process`, message by message.

Only well-formed STATUS reports of units seen once in the batch are batched (`split`); anything else (other
types, what does not decode or validate, a unit's later messages) goes through `mo.process` alone, after the
batch, in arrival order, so one unit's messages still apply in the order it sent them. Anything the batch
cannot apply raises: the caller rolls it back and processes its messages one by one, where a bad one is
dead-lettered without failing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from core.settings import Settings
from domain.device.outstanding import units_with_outstanding
from domain.device.unit_protocol import RcReport, apply_rc_post, new_connection
from domain.rtc import histories, online
from domain.rtc.encoding import DecodeError, Frame, MoType, decode
from domain.rtc.mo import MoOutcome

SYSTEM_ACTOR = "system:rtc"


@dataclass(frozen=True)
class Report:
    """A status report ready for a batch: its place in the messages, decoded and validated."""

    index: int
    imei: str
    frame: Frame
    report: RcReport
    data: bytes


def row_actor(row) -> str:
    """`session.info["actor_of"]` for a batch: each row is written by its unit, as a lone report's are."""
    imei = getattr(row, "product_imei", None)
    return f"unit:{imei}" if imei else SYSTEM_ACTOR


def split(messages: list[tuple[str | None, bytes]], *, reply_queue: bool) -> tuple[list[Report], list[int]]:
    """The batchable status reports, and the indexes of the messages to process alone (in order). A unit's
    first message is batched only when it is a valid STATUS; its later ones always go alone, after it."""
    batched: list[Report] = []
    alone: list[int] = []
    units: set[str | None] = set()
    for index, (imei, data) in enumerate(messages):
        report = None if reply_queue or imei in units else _status_report(imei, data)
        units.add(imei)
        if report is None:
            alone.append(index)
        else:
            batched.append(Report(index, imei, *report, data))
    return batched, alone


def _status_report(imei: str | None, data: bytes) -> tuple[Frame, RcReport] | None:
    if not imei:
        return None
    try:
        frame = decode(data)
        if frame.type != MoType.STATUS:
            return None
        return frame, RcReport.model_validate(frame.body)
    except (DecodeError, ValidationError):
        return None  # `mo.process` says why, in the `failed` row and the dead letter


def process_batch(
    session: Session, reports: list[Report], now: datetime, settings: Settings
) -> tuple[dict[int, MoOutcome], list[int]]:
    """Apply the reports in the caller's transaction: their outcomes by index, and the indexes left to process
    alone (a unit the database does not know: `mo.process` dead-letters it)."""
    units = units_with_outstanding(session, sorted({r.imei for r in reports}))
    seen = histories.seen_mos(session, [(r.imei, r.frame.message_id) for r in reports if r.imei in units])
    loaded = online.load_current(session, [product for product, _ in units.values()])  # noqa: F841 - held
    outcomes: dict[int, MoOutcome] = {}
    alone: list[int] = []
    fresh = []
    for r in reports:
        if r.imei not in units:
            alone.append(r.index)
            continue
        outcome = MoOutcome(imei=r.imei, message_id=r.frame.message_id, kind=r.frame.type, at=now)
        outcomes[r.index] = outcome
        if (r.imei, r.frame.message_id) in seen:
            outcome.duplicate = True
            continue
        product, _ = units[r.imei]
        outcome.went_online = online.is_offline(session, product)
        online.message_received(session, product, now)
        connection = new_connection(r.imei, r.report, now)
        session.add(connection)
        fresh.append((r, outcome, connection))
    session.flush()  # every connection row in one INSERT
    for r, outcome, connection in fresh:
        product, outstanding = units[r.imei]
        result = apply_rc_post(
            session, product, outstanding, r.report, connection, now, settings.software_max_update_attempts
        )
        product.latest_rtc_mo_status_report_time = now
        outcome.settled = result.settled
        outcome.notes.append(f"connection {connection.connection_id}")
        histories.record_mo(
            session, r.imei, r.frame, r.data, now, histories.PROCESSED, "; ".join(outcome.notes), flush=False
        )
    session.flush()
    return outcomes, alone
