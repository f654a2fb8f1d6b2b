"""Product serial numbers: one scheme, unique, never reused.

`<prefix><block>-<number>-<check>`: the prefix names the PCB family (HB, BX, PA, as in the doc's
examples), `block`-`number` is the next value of the `serial` table's sequence split into two groups
of six digits, and `check` is a Luhn mod 36 check character over the prefix and the digits, so a
mistyped serial is caught. A sequence value is never handed out twice, even when the request that
took it fails, so no serial is ever reused.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models.product import Serial

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(text: str) -> str:
    """Luhn mod N (N = 36) over `text`'s digits and capital letters (anything else is skipped)."""
    values = [ALPHABET.index(c) for c in text.upper() if c in ALPHABET]
    n, total = len(ALPHABET), 0
    # Double every second value from the right, as the check character will sit after the last one.
    for i, value in enumerate(reversed(values)):
        if i % 2 == 0:
            value *= 2
            value = value // n + value % n
        total += value
    return ALPHABET[(n - total % n) % n]


def is_valid(serial: str) -> bool:
    body, _, check = serial.rpartition("-")
    return bool(body) and len(check) == 1 and check_character(body) == check


def format_serial(prefix: str, number: int) -> str:
    body = f"{prefix}{number // 1_000_000:06d}-{number % 1_000_000:06d}"
    return f"{body}-{check_character(body)}"


def next_serial(session: Session, prefix: str) -> str:
    """A new serial number with `prefix`, from the `serial` table's sequence."""
    row = Serial()
    session.add(row)
    session.flush()
    return format_serial(prefix, row.serial_number)
