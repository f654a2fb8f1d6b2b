"""The doc's restrictions on payment commands, checked before anything is written.

- payment: value > 0; bad-payment: value < 0; zero-command: value == 0 (force-reset has its own endpoint);
- never remove more credit than has ever been added to the unit (since its last reset: voided commands no
  longer count);
- nothing while a zero-command is unacknowledged;
- only for DCM-enabled units (BP20 product types are DCM units whatever the flag says);
- transaction_id unique (checked by the caller: a repeat of the same command is not an error).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.credit import PaymentCommand
from db.models.product import Product, ProductType
from domain.errors import BadRequest

PAYMENT, BAD_PAYMENT, ZERO_COMMAND, FORCE_RESET = "payment", "bad-payment", "zero-command", "force-reset"
SIGN_RULES = {
    PAYMENT: (lambda v: v > 0, "must be > 0"),
    BAD_PAYMENT: (lambda v: v < 0, "must be < 0"),
    ZERO_COMMAND: (lambda v: v == 0, "must be 0"),
}
ACKNOWLEDGED = "acknowledged"
_BP20 = re.compile(r"bp\s*-?_?20", re.IGNORECASE)


def is_bp20(session: Session, product: Product) -> bool:
    name = session.scalar(
        select(ProductType.name).where(ProductType.product_type_id == product.product_type_id)
    )
    return bool(name and _BP20.search(name))


def ensure_dcm_unit(session: Session, product: Product) -> None:
    if not (product.dcm_enabled_flag or is_bp20(session, product)):
        raise BadRequest(f"Product {product.product_imei} is not DCM enabled (see set_dcm_enabled_flag)")


def ensure_sign(category: str, value: int) -> None:
    check, rule = SIGN_RULES[category]
    if not check(value):
        raise BadRequest(
            f"A {category} command's value {rule} (got {value})",
            validation_errors={"value": f"{rule} for {category}"},
        )


def live(imei: str):
    """Commands of the unit that still count: not voided by a zero-command or force-reset."""
    return (PaymentCommand.product_imei == imei, PaymentCommand.void.is_(False))


def ensure_no_unacknowledged_zero(session: Session, imei: str) -> None:
    waiting = session.scalar(
        select(PaymentCommand.transaction_id)
        .where(
            *live(imei),
            PaymentCommand.category == ZERO_COMMAND,
            PaymentCommand.status.is_distinct_from(ACKNOWLEDGED),
        )
        .limit(1)
    )
    if waiting is not None:
        raise BadRequest(
            f"Product {imei} has an unacknowledged zero-command ({waiting}): no payment commands until the unit"
            " answers it (or it is force-reset)"
        )


def credit_sums(session: Session, imei: str) -> tuple[int, int]:
    """(credit added, credit removed as a negative number) by the live commands."""
    rows = dict(
        session.execute(
            select(PaymentCommand.category, func.coalesce(func.sum(PaymentCommand.value), 0))
            .where(*live(imei), PaymentCommand.category.in_((PAYMENT, BAD_PAYMENT)))
            .group_by(PaymentCommand.category)
        ).all()
    )
    return int(rows.get(PAYMENT, 0)), int(rows.get(BAD_PAYMENT, 0))


def ensure_removable(session: Session, imei: str, value: int) -> None:
    added, removed = credit_sums(session, imei)
    if -(removed + value) > added:
        raise BadRequest(
            f"Cannot remove {-value}: more credit than has ever been added to product {imei} "
            f"({added} added, {-removed} already removed)",
            validation_errors={"value": "removes more credit than was ever added"},
        )


def check_new_command(session: Session, product: Product, category: str, value: int) -> None:
    """Every rule of the doc for a new command; raises the first one broken (400), writes nothing."""
    ensure_sign(category, value)
    ensure_dcm_unit(session, product)
    ensure_no_unacknowledged_zero(session, product.product_imei)
    if category == BAD_PAYMENT:
        ensure_removable(session, product.product_imei, value)
