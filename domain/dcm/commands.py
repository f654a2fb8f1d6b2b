"""Payment commands: adding them (add_payment_command, force_reset), what is pending, what the unit was sent.

Status of a command: `pending` (not delivered yet), `sent` (offered in an RC-GET), `sms-sent` (sent by SMS,
the fallback), `acknowledged` (the unit confirmed it by transaction_id). `void` is separate: a zero-command's
final balance, or a force-reset, voids every earlier command; a voided command is never delivered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.credit import FinalBalance, PaymentCommand
from db.models.product import Product
from domain.dcm import rules
from domain.dcm.balance import balance_row, set_balance
from domain.dcm.rules import ACKNOWLEDGED, BAD_PAYMENT, FORCE_RESET, PAYMENT
from domain.device.models import PendingCommand
from domain.device.switches import lock_product
from domain.errors import Conflict, NotFound
from domain.scope import UnitScope

PENDING, SENT, SMS_SENT = "pending", "sent", "sms-sent"
FORCE_RESET_KNOWN, FORCE_RESET_UNKNOWN = "force-reset", "force-reset (no balance known)"


def outstanding(imei: str):
    """The unit's commands still to deliver, in the order the unit must apply them."""
    return (
        select(PaymentCommand)
        .where(*rules.live(imei), PaymentCommand.status.is_distinct_from(ACKNOWLEDGED))
        .order_by(PaymentCommand.payment_command_id)
    )


def pending_commands(session: Session, imei: str) -> list[PendingCommand]:
    return [
        PendingCommand(
            payment_command_id=c.payment_command_id,
            transaction_id=c.transaction_id,
            category=c.category,
            value=c.value,
            status=c.status,
        )
        for c in session.scalars(outstanding(imei))
    ]


def _existing(
    session: Session, imei: str, transaction_id: str, category: str, value: int
) -> PaymentCommand | None:
    """The command already stored under `transaction_id`: the same command again is answered as before,
    anything else with a used id is refused."""
    row = session.scalar(select(PaymentCommand).where(PaymentCommand.transaction_id == transaction_id))
    if row is None:
        return None
    if (row.product_imei, row.category) == (imei, category) and (
        category == FORCE_RESET or row.value == value
    ):
        return row
    raise Conflict(
        f"transaction_id {transaction_id} is already used by another payment command",
        validation_errors={"transaction_id": "already used"},
    )


def add_payment_command(
    session: Session, scope: UnitScope, imei: str, category: str, value: int, transaction_id: str
) -> tuple[PaymentCommand, bool]:
    """The command and whether it is new. The unit's row is locked, so two requests for one unit apply in turn."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    existing = _existing(session, imei, transaction_id, category, value)
    if existing is not None:
        return existing, False
    rules.check_new_command(session, product, category, value)
    command = PaymentCommand(
        product_imei=imei,
        category=category,
        value=value,
        transaction_id=transaction_id,
        void=False,
        status=PENDING,
    )
    session.add(command)
    session.flush()
    return command, True


@dataclass(frozen=True)
class ForceReset:
    outstanding_payments: int
    last_known_balance: int | None
    created: bool


def force_reset(
    session: Session, scope: UnitScope, imei: str, transaction_id: str, now: datetime
) -> ForceReset:
    """Zero a unit without its help: void every earlier command, zero the balance, queue a `force-reset`
    command (so the unit zeroes itself when it next connects) and keep the result as its final balance."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    existing = _existing(session, imei, transaction_id, FORCE_RESET, 0)
    if existing is not None:
        result = session.scalar(
            select(FinalBalance).where(FinalBalance.zero_command_id == existing.payment_command_id)
        )
        known = result.status == FORCE_RESET_KNOWN
        return ForceReset(
            result.outstanding_payments or 0, result.final_balance if known else None, created=False
        )
    rules.ensure_dcm_unit(session, product)
    unacknowledged = sum(
        c.value for c in session.scalars(outstanding(imei)) if c.category in (PAYMENT, BAD_PAYMENT)
    )
    added, removed = rules.credit_sums(session, imei)
    last = balance_row(session, imei)
    last_known = last.balance if last is not None else None
    command = PaymentCommand(
        product_imei=imei,
        category=FORCE_RESET,
        value=0,
        transaction_id=transaction_id,
        void=False,
        status=PENDING,
    )
    session.add(command)
    session.flush()
    void_before(session, imei, command.payment_command_id)
    set_balance(session, imei, 0, now)
    session.add(
        FinalBalance(
            product_imei=imei,
            final_balance=last_known or 0,
            total_added=added + removed,
            zero_command_id=command.payment_command_id,
            outstanding_payments=unacknowledged,
            status=FORCE_RESET_KNOWN if last_known is not None else FORCE_RESET_UNKNOWN,
        )
    )
    session.flush()
    return ForceReset(unacknowledged, last_known, created=True)


def void_before(session: Session, imei: str, payment_command_id: int) -> None:
    session.execute(
        update(PaymentCommand)
        .where(*rules.live(imei), PaymentCommand.payment_command_id < payment_command_id)
        .values(void=True)
        .execution_options(synchronize_session="fetch")
    )


def record_sent(session: Session, imei: str, transaction_ids: list[str], status: str) -> None:
    """The unit was sent these commands (RC-GET: `sent`, SMS: `sms-sent`); acknowledged ones stay so."""
    if not transaction_ids:
        return
    session.execute(
        update(PaymentCommand)
        .where(
            *rules.live(imei),
            PaymentCommand.transaction_id.in_(transaction_ids),
            PaymentCommand.status.is_distinct_from(ACKNOWLEDGED),
            PaymentCommand.status.is_distinct_from(status),
        )
        .values(status=status)
        .execution_options(synchronize_session="fetch")
    )


def balance_and_pending(session: Session, scope: UnitScope, imei: str) -> dict:
    """The doc's balance_and_pending_payments data: newest pending command first."""
    scope.ensure_visible(session, imei)
    if session.get(Product, imei) is None:
        raise NotFound(f"Product {imei} not found")
    row = balance_row(session, imei)
    commands = session.scalars(
        outstanding(imei).order_by(None).order_by(PaymentCommand.payment_command_id.desc())
    )
    return {
        "balance": row.balance if row else None,
        "expected_expiry": row.expected_expiry if row else None,
        "pending_payment_commands": [
            {
                "category": c.category,
                "created_at": c.created_at,
                "modified_at": c.modified_at,
                "value": c.value,
                "transaction_id": c.transaction_id,
                "status": c.status,
            }
            for c in commands
        ],
    }
