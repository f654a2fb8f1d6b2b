"""`/products/<imei>/parameters/history`: every parameter of a unit and of its parts, or the set that was
active at a moment, each with the status it had then (the unit's view: a row `removed` since was
`active` then)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models.parts import PartProductLinker
from db.models.product import Product
from domain.errors import NotFound
from domain.parameters.store import ACTIVE, EXPIRED, PART, PRODUCT, Row, Store
from domain.scope import UnitScope


@dataclass
class History:
    """Rows to show, with the status (and date_removed) each is to be shown with."""

    product: list[Row] = field(default_factory=list)
    parts: dict[int, list[Row]] = field(default_factory=dict)
    as_of: datetime | None = None  # None: the full history, statuses as they are now

    def shown(self, row: Row) -> dict[str, object]:
        """What differs from the row when shown as it was at `as_of`: it was active then."""
        return {} if self.as_of is None else {"status": ACTIVE, "date_removed": None}


def _parts_of(session: Session, imei: str, at: datetime | None) -> list[int]:
    """The parts ever fitted to the unit, or those fitted at `at`."""
    query = select(PartProductLinker.part_id).where(PartProductLinker.product_imei == imei)
    if at is not None:
        query = query.where(
            or_(PartProductLinker.date_added.is_(None), PartProductLinker.date_added <= at),
            or_(PartProductLinker.date_removed.is_(None), PartProductLinker.date_removed > at),
        )
    return sorted(set(session.scalars(query)))


def _rows(session: Session, store: Store, owners: list, at: datetime | None) -> list[Row]:
    model = store.model
    query = select(model).where(getattr(model, store.owner_key).in_(owners))
    if at is not None:
        query = query.where(
            model.status != EXPIRED,  # expired rows carry a date_added, but were never active
            model.date_added <= at,
            or_(model.date_removed.is_(None), model.date_removed > at),
        )
    return list(session.scalars(query.order_by(getattr(model, store.id_key))))


def parameter_history(session: Session, scope: UnitScope, imei: str, at: datetime | None = None) -> History:
    """The full history (`at` None), or the parameters active at `at`."""
    scope.ensure_visible(session, imei)
    if session.get(Product, imei) is None:
        raise NotFound(f"Product {imei} not found")
    parts = _parts_of(session, imei, at)
    part_rows = _rows(session, PART, parts, at) if parts else []
    history = History(product=_rows(session, PRODUCT, [imei], at), as_of=at)
    history.parts = {part_id: [row for row in part_rows if row.part_id == part_id] for part_id in parts}
    return history
