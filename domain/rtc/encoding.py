"""The RTC wire format: one CBOR array per message, `[type, body, message_id]`, for units on a cellular link.

CBOR (RFC 8949, the `cbor2` library) because it is what the doc's dead-letter example carries: its
`message` field, `ggSfghpaebuvaUNvbm5lY3RlZP8=`, is the CBOR array `[4, [[1517927343, "Connected"]]]`.
The same shape is kept and the message id is appended, so every message names itself in 8 bytes:

| dir | type | body | meaning |
| --- | --- | --- | --- |
| MT | 1 `SYNC` | `null` | report status and telemetry now |
| MT | 2 `STATE` | `{"e": bool, "t": bool, "s": [name, link, checksum] or null, "p": [[transaction_id, category, value], ...], "a": [[parameter_type, value], ...], "q": [[part_id, parameter_type, value], ...]}` | what the unit should be (an RC-GET answer) |
| MT | 3 `PARAMETERS` | `[[parameter_type name, value], ...]` | the latest parameter values (status_update) |
| MT | 5 `COMMAND` | `"<debug command>"` | a debug/diagnostic command (command_request) |
| MO | 1 `STATUS` | an RC-POST body (`enable_flag`, `tamper_flag`, `software`, ...) | status report |
| MO | 2 `TELEMETRY` | `[{reading}, ...]` | an `rm_data` body's `data` |
| MO | 4 `EVENTS` | `[[unix time, text], ...]` | log lines; `Connected` / `Disconnected <reason>` are online events |
| reply | 6 `REPLY` | `[mt message id, delivered (bool), info or null]` | the unit's delivery report of an MT message (command output in `info`) |

A message id is 8 random bytes; it travels as hex (16 characters) in the AMQP `message_id` property, in the
histories' `message_reference` and in every log line. The unit's IMEI travels in the AMQP header `ident`
(the link knows who sent what; it costs the cellular link nothing).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import cbor2


class MtType(IntEnum):
    SYNC = 1
    STATE = 2
    PARAMETERS = 3
    COMMAND = 5


class MoType(IntEnum):
    STATUS = 1
    TELEMETRY = 2
    EVENTS = 4
    REPLY = 6


class DecodeError(ValueError):
    """Bytes that are not one of our messages; the reason says why, for the dead-letter row."""


@dataclass(frozen=True)
class Frame:
    type: int
    body: Any
    message_id: str  # hex

    def encode(self) -> bytes:
        return cbor2.dumps([self.type, self.body, bytes.fromhex(self.message_id)])


def new_message_id() -> str:
    return os.urandom(8).hex()


def frame(kind: int, body: Any, message_id: str | None = None) -> Frame:
    return Frame(int(kind), body, message_id or new_message_id())


def decode(data: bytes) -> Frame:
    """Parse one message; anything malformed is a DecodeError naming the problem."""
    try:
        value = cbor2.loads(data)
    except Exception as err:  # noqa: BLE001 - cbor2 raises several types for garbage
        raise DecodeError(f"not CBOR: {err}") from err
    if not isinstance(value, list) or len(value) != 3:
        raise DecodeError("expected a CBOR array [type, body, message_id]")
    kind, body, message_id = value
    if not isinstance(kind, int) or isinstance(kind, bool):
        raise DecodeError(f"message type must be an integer, got {kind!r}")
    if not isinstance(message_id, bytes) or not 1 <= len(message_id) <= 16:
        raise DecodeError("message id must be 1 to 16 bytes")
    return Frame(kind, body, message_id.hex())


def readable(data: bytes) -> str:
    """For a person: the decoded array, or why it does not decode (the decode endpoint)."""
    try:
        value = cbor2.loads(data)
    except Exception as err:  # noqa: BLE001
        return f"undecodable ({err}): {data.hex()}"
    if isinstance(value, list) and value and isinstance(value[-1], bytes):
        value = [*value[:-1], value[-1].hex()]
    return repr(value)


# STATE bodies use one-letter keys: a unit reads them on every change.
STATE_KEYS = {
    "enable_flag": "e",
    "tamper_flag": "t",
    "software": "s",
    "payment_commands": "p",
    "parameters": "a",
    "part_parameters": "q",
}


def state_body(answer: dict) -> dict:
    """An RC-GET answer as a compact STATE body."""
    software = answer.get("software")
    return {
        "e": answer["enable_flag"],
        "t": answer["tamper_flag"],
        "s": [software["name"], software["link"], software["checksum"]] if software else None,
        "p": [[c["transaction_id"], c["category"], c["value"]] for c in answer.get("payment_commands") or []],
        "a": [[p["parameter_type"], p["value"]] for p in answer.get("parameters") or []],
        "q": [[p["part_id"], p["parameter_type"], p["value"]] for p in answer.get("part_parameters") or []],
    }


def state_answer(body: dict) -> dict:
    """The inverse of state_body (the simulated unit reads it like an RC-GET answer)."""
    software = body.get("s")
    return {
        "enable_flag": body["e"],
        "tamper_flag": body["t"],
        "software": dict(zip(("name", "link", "checksum"), software)) if software else None,
        "payment_commands": [
            {"transaction_id": t, "category": c, "value": v} for t, c, v in body.get("p") or []
        ],
        "parameters": [{"parameter_type": t, "value": v} for t, v in body.get("a") or []],
        "part_parameters": [
            {"part_id": part, "parameter_type": t, "value": v} for part, t, v in body.get("q") or []
        ],
    }
