"""The balance table: the most recent balance (seconds of credit) of each DCM unit, one row per unit.

`expected_expiry` is when the unit should switch itself off if nothing is added: the time of the balance
plus the balance. Between reports, the credit left is estimated from it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.credit import Balance


def balance_row(session: Session, imei: str) -> Balance | None:
    return session.scalar(
        select(Balance).where(Balance.product_imei == imei).order_by(Balance.balance_id.desc()).limit(1)
    )


def set_balance(
    session: Session, imei: str, seconds: int, now: datetime, row: Balance | None = None
) -> Balance:
    """`row`: the unit's balance row when the caller already read it."""
    seconds = max(0, seconds)  # a unit's balance never goes below 0
    row = row or balance_row(session, imei)
    if row is None:
        row = Balance(product_imei=imei, balance=seconds, expected_expiry=now)
        session.add(row)
    row.balance = seconds
    row.expected_expiry = now + timedelta(seconds=seconds)
    session.flush()
    return row


def estimated_now(row: Balance | None, now: datetime) -> int:
    """Credit left now, assuming the unit used it since the balance was recorded (0 when none is known)."""
    if row is None:
        return 0
    return max(0, int((row.expected_expiry - now).total_seconds()))
