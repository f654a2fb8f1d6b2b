"""Dead letters: what the consumer could not process waits in `RTC-MO.Dead-Letter` / `RTC-MT.Reply.Dead-Letter`
with its reason; importing moves it into `rtc_dead_letter` rows, from which a person decodes, replays (after a
fix) or discards it.

A row's `payload` is, as the doc shows, a JSON string: `{"ident", "ident_type", "message" (base64 of the
CBOR frame), "correlation_id" (the message id), "timestamp", "reason"}`. Replay rebuilds the AMQP message
from it and publishes it to its original queue.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.models.rtc import RtcDeadLetter
from domain.errors import Conflict, NotFound
from domain.rtc.broker import MO, MT_REPLY
from domain.rtc.encoding import readable
from domain.scope import UnitScope

REASON_HEADER = "x-smartsolar-reason"
QUEUES = (MO, MT_REPLY)


@dataclass(frozen=True)
class Letter:
    """One message taken from a dead-letter queue (not yet acknowledged)."""

    queue: str  # the original queue, unprefixed: RTC-MO or RTC-MT.Reply
    body: bytes
    message_id: str | None
    headers: dict
    timestamp: datetime | None


def payload_of(letter: Letter, now: datetime) -> str:
    headers = letter.headers or {}
    return json.dumps(
        {
            "ident": _text(headers.get("ident")),
            "ident_type": _text(headers.get("ident_type")) or "IMEI",
            "message": base64.b64encode(letter.body).decode(),
            "correlation_id": letter.message_id,
            "timestamp": (letter.timestamp or now).isoformat(),
            "reason": _text(headers.get(REASON_HEADER)) or _death_reason(headers),
        }
    )


def _text(value) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _death_reason(headers: dict) -> str | None:
    deaths = headers.get("x-death") or []
    if deaths and isinstance(deaths[0], dict):
        return f"broker: {_text(deaths[0].get('reason'))}"
    return None


def store(session: Session, letter: Letter, now: datetime) -> RtcDeadLetter:
    row = RtcDeadLetter(queue_name=letter.queue, payload=payload_of(letter, now))
    session.add(row)
    session.flush()
    return row


def fields(row: RtcDeadLetter) -> dict:
    return json.loads(row.payload) if isinstance(row.payload, str) else dict(row.payload)


def get(session: Session, scope: UnitScope, dead_letter_id: int) -> RtcDeadLetter:
    """The row, or 404 (also for a row about another entity's unit)."""
    row = session.get(RtcDeadLetter, dead_letter_id, with_for_update=True)
    if row is None:
        raise NotFound(f"RTC dead letter {dead_letter_id} not found")
    ident = fields(row).get("ident")
    if not scope.is_global:
        if not ident:
            raise NotFound(f"RTC dead letter {dead_letter_id} not found")
        try:
            scope.ensure_visible(session, ident)
        except NotFound as err:
            raise NotFound(f"RTC dead letter {dead_letter_id} not found") from err
    return row


def replayable(row: RtcDeadLetter) -> Letter:
    if row.status == "discarded":
        raise Conflict(f"RTC dead letter {row.rtc_dead_letter_id} was discarded")
    if row.status == "replayed" and row.replay_status == "success":
        raise Conflict(f"RTC dead letter {row.rtc_dead_letter_id} was already replayed")
    data = fields(row)
    headers = {k: data[k] for k in ("ident", "ident_type") if data.get(k)}
    headers["x-smartsolar-replay-of"] = row.rtc_dead_letter_id
    return Letter(
        row.queue_name, base64.b64decode(data["message"]), data.get("correlation_id"), headers, None
    )


def record_replay(row: RtcDeadLetter, ok: bool, text: str | None, now: datetime) -> None:
    row.replay_status = "success" if ok else "failure"
    row.replay_status_text = text
    row.replay_status_time = now
    if ok:
        row.status, row.status_time = "replayed", now


def discard(row: RtcDeadLetter, now: datetime) -> None:
    if row.status == "replayed" and row.replay_status == "success":
        raise Conflict(f"RTC dead letter {row.rtc_dead_letter_id} was already replayed")
    row.status, row.status_time = "discarded", now


def decoded(row: RtcDeadLetter) -> str:
    data = fields(row)
    text = f"Decoded message: {readable(base64.b64decode(data.get('message') or ''))}"
    if data.get("reason"):
        text += f" (dead-lettered: {data['reason']})"
    return text
