"""MT messages (server -> unit): what each one says, and its `rtc_message_history` row.

The row is written (and committed by the caller) before the message is published, so a delivery report can
never arrive for a message the database does not know; a publish that fails marks the row `failed`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.product import Product
from db.models.software import Parameter, ParameterType
from domain.device.models import PendingChanges
from domain.device.switches import lock_product
from domain.device.unit_protocol import rc_get_answer
from domain.rtc import histories, online
from domain.rtc.encoding import Frame, MtType, frame, state_body
from domain.scope import UnitScope


def rtc_unit(session: Session, scope: UnitScope, imei: str) -> Product:
    """The unit a user addresses: visible to them (else 404), locked, and RTC-enabled (else 400)."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    online.ensure_rtc(product)
    return product


def latest_parameters(session: Session, imei: str) -> list[list[str]]:
    """The unit's current parameter values (pending ones too: they are what it should have)."""
    rows = session.execute(
        select(ParameterType.name, Parameter.value)
        .join(ParameterType, ParameterType.parameter_type_id == Parameter.parameter_type_id)
        .where(
            Parameter.product_imei == imei,
            Parameter.date_removed.is_(None),
            Parameter.status.is_(None) | Parameter.status.in_(("active", "pending")),
        )
        .order_by(Parameter.parameter_id)
    )
    return [[name, value] for name, value in rows]


def message(
    session: Session, product: Product, kind: MtType, body=None, now: datetime | None = None
) -> Frame:
    """Build and record one MT message (the caller commits, then publishes)."""
    if kind is MtType.PARAMETERS:
        body = latest_parameters(session, product.product_imei)
    out = frame(kind, body)
    histories.record_mt(session, product, out, now)
    return out


def state_message(
    session: Session, product: Product, message_id: str, now: datetime
) -> tuple[Frame, PendingChanges]:
    """What an RC-GET would answer, as a STATE message with a given id (the workflow's, so a retried
    activity publishes the same message)."""
    answer, waiting = rc_get_answer(session, product)
    out = frame(MtType.STATE, state_body(answer.model_dump()), message_id)
    histories.record_mt(session, product, out, now)
    return out, waiting
