"""What a DCM unit reports in its RC-POST: acknowledged commands, its balance, a zero-command's final balance.

Acknowledging is idempotent (an acknowledged command stays so), so a unit may acknowledge a command again
each time it is offered; that is what makes a lost report harmless.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.credit import FinalBalance, PaymentCommand
from domain.dcm import rules
from domain.dcm.balance import balance_row, estimated_now, set_balance
from domain.dcm.commands import void_before
from domain.dcm.rules import ACKNOWLEDGED, BAD_PAYMENT, FORCE_RESET, PAYMENT, ZERO_COMMAND
from domain.events import DCM, publish
from domain.webhooks.payloads import final_balance_data

RECEIVED = "received"


class FinalBalanceReport(BaseModel):
    """The unit's answer to a zero-command: its balance just before it zeroed itself."""

    model_config = ConfigDict(strict=True)

    transaction_id: str = Field(min_length=1, max_length=255)
    balance: int = Field(ge=0)


def record_unit_report(
    session: Session,
    imei: str,
    acks: list[str],
    final: FinalBalanceReport | None,
    balance: int | None,
    now: datetime,
) -> bool:
    """Apply the report; True when it settled a pending command (the unit's workflow must hear of it).
    The caller holds the unit's row lock (record_rc_post took it)."""
    wanted = set(acks) | ({final.transaction_id} if final else set())
    settled = False
    row = balance_row(session, imei) if wanted or balance is not None else None
    if wanted:
        estimate = estimated_now(row, now)
        commands = session.scalars(
            select(PaymentCommand)
            .where(
                PaymentCommand.product_imei == imei,
                PaymentCommand.transaction_id.in_(wanted),
                PaymentCommand.status.is_distinct_from(ACKNOWLEDGED),
            )
            .order_by(PaymentCommand.payment_command_id)
        ).all()
        for command in commands:
            if command.category == ZERO_COMMAND:
                if final is None or final.transaction_id != command.transaction_id:
                    continue  # a zero-command is only answered by its final balance
                if not command.void:  # voided by a force-reset: that already returned the credit
                    _store_final_balance(session, command, final.balance)
                estimate = 0
            elif command.category == FORCE_RESET:
                estimate = 0
            elif not command.void:
                estimate = max(0, estimate + command.value)  # the unit floors its balance at 0
            command.status = ACKNOWLEDGED
            settled = True
        if settled and balance is None:
            set_balance(session, imei, estimate, now, row)
    if balance is not None:
        set_balance(session, imei, balance, now, row)  # the unit's own figure wins over the estimate
    return settled


def _store_final_balance(session: Session, zero: PaymentCommand, final_balance: int) -> None:
    """Store the final balance with its zero-command, void every earlier command, publish it on `dcm`."""
    total_added = session.scalar(
        select(func.coalesce(func.sum(PaymentCommand.value), 0)).where(
            *rules.live(zero.product_imei),
            PaymentCommand.category.in_((PAYMENT, BAD_PAYMENT)),
            PaymentCommand.payment_command_id < zero.payment_command_id,
        )
    )
    row = FinalBalance(
        product_imei=zero.product_imei,
        final_balance=final_balance,
        total_added=int(total_added),
        zero_command_id=zero.payment_command_id,
        status=RECEIVED,
    )
    session.add(row)
    void_before(session, zero.product_imei, zero.payment_command_id)
    session.flush()
    publish(session, DCM, final_balance_data(row), product_imei=zero.product_imei)
