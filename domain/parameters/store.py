"""A unit's parameters and its parts' parameters: one more kind of pending change on the unit.

Each row lives the doc's life (`/products/<imei>/parameters/history`):

- `pending`: asked for, not applied by the unit yet (neither `date_added` nor `date_removed`);
- `active`: the unit reported running it (`date_added`: when it went pending -> active);
- `removed`: a newer value became active (`date_removed`: when it went active -> removed);
- `expired`: a newer value was asked for before this one took effect, or an operator cancelled it
  (`date_added` and `date_removed` set together).

Every RC-GET offers the pending rows (domain/device/unit_protocol.py); the RC-POST listing a value the
unit runs settles them (`record_reported`). The two tables share this code; `PRODUCT` and `PART` say
which columns each uses, as domain/device/switches.py does for the two switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.parts import PartParameter, PartProductLinker
from db.models.software import Parameter, ParameterType
from domain.device.models import PendingParameter, ReportedParameter
from domain.device.switches import lock_product
from domain.errors import BadRequest, Conflict, NotFound, ValidationFailed
from domain.parameters.validation import check_value, same_value
from domain.scope import UnitScope

PENDING, ACTIVE, REMOVED, EXPIRED = "pending", "active", "removed", "expired"
Row = Parameter | PartParameter


@dataclass(frozen=True)
class Store:
    model: type[Parameter] | type[PartParameter]
    id_key: str
    owner_key: str  # the column naming whose parameter it is

    def owner(self, row: Row) -> Any:
        return getattr(row, self.owner_key)

    def row_id(self, row: Row) -> int:
        return getattr(row, self.id_key)


PRODUCT = Store(Parameter, "parameter_id", "product_imei")
PART = Store(PartParameter, "part_parameter_id", "part_id")


@dataclass(frozen=True)
class Requested:
    row: Row  # the pending row, or the row that already has the value
    changed: bool  # something was written: the unit's workflow must hear of it


def fitted_parts(session: Session, imei: str) -> list[int]:
    """The parts on the unit now."""
    return list(
        session.scalars(
            select(PartProductLinker.part_id)
            .where(PartProductLinker.product_imei == imei, PartProductLinker.date_removed.is_(None))
            .order_by(PartProductLinker.part_id)
        )
    )


def unit_of(session: Session, store: Store, owner: Any) -> str:
    """The unit whose parameter it is: the product itself, or the unit the part is fitted to now."""
    if store is PRODUCT:
        return owner
    imei = session.scalar(
        select(PartProductLinker.product_imei).where(
            PartProductLinker.part_id == owner, PartProductLinker.date_removed.is_(None)
        )
    )
    if imei is None:
        raise BadRequest(f"Part {owner} is not fitted to a unit: its parameters could never be delivered")
    return imei


def parameter_type(session: Session, parameter_type_id: int) -> ParameterType:
    found = session.get(ParameterType, parameter_type_id)
    if found is None:
        raise ValidationFailed(
            f"No parameter_type with parameter_type_id {parameter_type_id}",
            validation_errors={"parameter_type_id": f"No parameter_type {parameter_type_id}"},
        )
    return found


def parameter_type_named(session: Session, name: str) -> ParameterType | None:
    return session.scalar(select(ParameterType).where(ParameterType.name == name))


def _open_rows(session: Session, store: Store, owner: Any, parameter_type_id: int) -> list[Row]:
    model = store.model
    return list(
        session.scalars(
            select(model)
            .where(
                getattr(model, store.owner_key) == owner,
                model.parameter_type_id == parameter_type_id,
                model.status.in_((PENDING, ACTIVE)),
            )
            .order_by(getattr(model, store.id_key))
        )
    )


def _expire(rows: list[Row], now: datetime) -> int:
    for row in rows:
        row.status, row.date_added, row.date_removed = EXPIRED, now, now
    return len(rows)


def request(
    session: Session,
    scope: UnitScope,
    store: Store,
    owner: Any,
    parameter_type_id: int,
    value: str,
    now: datetime,
) -> Requested:
    """Ask for a parameter value: a pending row, after checking the value against its type. A pending
    value of the same type the unit has not applied yet expires (the later request wins); asking again for
    what is pending, or already active, writes nothing. Requests for one unit apply one at a time."""
    imei = unit_of(session, store, owner)
    scope.ensure_visible(session, imei)
    lock_product(session, imei)
    kind = parameter_type(session, parameter_type_id)
    check_value(kind, value)
    rows = _open_rows(session, store, owner, parameter_type_id)
    pending = [row for row in rows if row.status == PENDING]
    for row in pending:
        if same_value(kind, row.value, value):
            return Requested(row, changed=False)
    expired = 0 if kind.repeatable else _expire(pending, now)
    for row in rows:
        if row.status == ACTIVE and same_value(kind, row.value, value):
            return Requested(row, changed=expired > 0)
    row = store.model(
        **{store.owner_key: owner}, parameter_type_id=parameter_type_id, value=value, status=PENDING
    )
    session.add(row)
    session.flush()
    return Requested(row, changed=True)


def change_pending(
    session: Session, scope: UnitScope, store: Store, row_id: int, value: str, now: datetime
) -> Requested:
    """PUT of a pending parameter: a new value for it. The unit may already have been offered the old one,
    so the row is not rewritten: it expires and a new pending row carries the value (history stays true)."""
    row = session.get(store.model, row_id)
    if row is None:
        raise NotFound(f"No {store.model.__tablename__} with {store.id_key} {row_id}")
    scope.ensure_visible(session, unit_of(session, store, store.owner(row)))
    if row.status != PENDING:
        raise Conflict(
            f"{store.model.__tablename__} {row_id} is {row.status}: only a pending one can be changed; "
            "POST a new value instead"
        )
    outcome = request(session, scope, store, store.owner(row), row.parameter_type_id, value, now)
    if outcome.row is not row and row.status == PENDING:
        _expire([row], now)  # a repeatable type keeps other pending values; this one is replaced
        return Requested(outcome.row, changed=True)
    return outcome


def pending_parameters(session: Session, imei: str) -> list[PendingParameter]:
    """What the unit's next RC-GET offers, oldest first: its own pending rows, then its parts'."""
    found = []
    for store, owners in ((PRODUCT, [imei]), (PART, fitted_parts(session, imei))):
        if not owners:
            continue
        model = store.model
        rows = session.execute(
            select(model, ParameterType.name)
            .join(ParameterType, ParameterType.parameter_type_id == model.parameter_type_id)
            .where(getattr(model, store.owner_key).in_(owners), model.status == PENDING)
            .order_by(getattr(model, store.id_key))
        ).all()
        found.extend(
            PendingParameter(
                id=store.row_id(row),
                part_id=row.part_id if store is PART else None,
                parameter_type=name,
                value=row.value,
            )
            for row, name in rows
        )
    return found


def record_reported(session: Session, imei: str, reported: list[ReportedParameter], now: datetime) -> bool:
    """An RC-POST lists the parameters the unit runs. A pending value it lists becomes active and the
    value it replaces removed; a value nobody asked for is recorded as active too (the unit's history is
    what the unit ran). Types the system does not know are ignored. True when a pending row ended."""
    settled = False
    parts = set(fitted_parts(session, imei))
    for item in reported:
        if item.part_id is not None and item.part_id not in parts:
            continue
        kind = parameter_type_named(session, item.parameter_type)
        if kind is None:
            continue
        store, owner = (PRODUCT, imei) if item.part_id is None else (PART, item.part_id)
        rows = _open_rows(session, store, owner, kind.parameter_type_id)
        if any(r.status == ACTIVE and same_value(kind, r.value, item.value) for r in rows):
            continue
        taken = next((r for r in rows if r.status == PENDING and same_value(kind, r.value, item.value)), None)
        if not kind.repeatable:
            for row in rows:
                if row.status == ACTIVE:
                    row.status, row.date_removed = REMOVED, now
        if taken is None:
            session.add(
                store.model(
                    **{store.owner_key: owner},
                    parameter_type_id=kind.parameter_type_id,
                    value=item.value,
                    status=ACTIVE,
                    date_added=now,
                )
            )
        else:
            taken.status, taken.date_added = ACTIVE, now
            settled = True
    session.flush()
    return settled


def expire_pending(session: Session, imei: str, now: datetime) -> int:
    """The operator's cancel: every pending parameter of the unit and its parts expires."""
    count = 0
    for store, owners in ((PRODUCT, [imei]), (PART, fitted_parts(session, imei))):
        if owners:
            model = store.model
            rows = session.scalars(
                select(model).where(getattr(model, store.owner_key).in_(owners), model.status == PENDING)
            ).all()
            count += _expire(list(rows), now)
    return count


def current_value(session: Session, imei: str, type_name: str) -> str | None:
    """The unit's value of a type as it will be: the newest pending value, else the active one."""
    kind = parameter_type_named(session, type_name)
    if kind is None:
        return None
    rows = _open_rows(session, PRODUCT, imei, kind.parameter_type_id)
    pending = [row.value for row in rows if row.status == PENDING]
    active = [row.value for row in rows if row.status == ACTIVE]
    return (pending or active or [None])[-1]
