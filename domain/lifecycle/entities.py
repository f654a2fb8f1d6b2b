"""Which entities a unit belongs to (`assign_entity`, `change_entity`, `remove_entity`), with the doc's rules.

A unit may belong to many entities. A unit with none belongs to entity #1 Unknown Entity, which is dropped
as soon as a real entity is assigned and comes back when the last one is removed. Every change closes or
opens a `product_entity_linker` row (`date_removed` keeps the history), which is what ENTITY users'
visibility and webhook subscriptions' scope read; the API then tells the unit's running workflows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.organisation import Entity
from db.models.product import ProductEntityLinker
from domain.device.switches import lock_product
from domain.errors import Forbidden, ValidationFailed
from domain.lifecycle.reference import UNKNOWN_ENTITY_ID
from domain.scope import UnitScope, unit_entity_id


@dataclass(frozen=True)
class EntityChange:
    """The outcome: the message, the entities now (`data: {imei: [names]}`), the id workflows carry."""

    imei: str
    message: str
    names: list[str]
    entity_id: int | None

    @property
    def data(self) -> dict[str, list[str]]:
        return {self.imei: self.names}


def _open_links(session: Session, imei: str) -> list[ProductEntityLinker]:
    return list(
        session.scalars(
            select(ProductEntityLinker)
            .where(ProductEntityLinker.product_imei == imei, ProductEntityLinker.date_removed.is_(None))
            .order_by(ProductEntityLinker.product_entity_linker_id)
        )
    )


def _entity(session: Session, field: str, entity_id: int) -> Entity:
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise ValidationFailed(
            f"No entity with entity_id {entity_id}", validation_errors={field: f"No entity {entity_id}"}
        )
    if entity_id == UNKNOWN_ENTITY_ID:
        raise ValidationFailed(
            "Unknown Entity is assigned by the system to units without an entity",
            validation_errors={field: "Unknown Entity cannot be assigned or removed by hand"},
        )
    return entity


def _allowed(scope: UnitScope, field: str, entity_id: int) -> None:
    # An ENTITY user may hand its own entity to a unit it sees, never another entity's name.
    if not scope.is_global and entity_id != scope.entity_id:
        raise Forbidden(f"ENTITY users may only assign or remove their own entity ({field})")


def _link(session: Session, imei: str, entity_id: int, now: datetime) -> None:
    session.add(ProductEntityLinker(product_imei=imei, entity_id=entity_id, date_added=now))


def _settle(session: Session, imei: str, now: datetime, message: str) -> EntityChange:
    """Drop Unknown Entity next to a real one; bring it back when none is left."""
    session.flush()
    links = _open_links(session, imei)
    real = [link for link in links if link.entity_id != UNKNOWN_ENTITY_ID]
    for link in links:
        if real and link.entity_id == UNKNOWN_ENTITY_ID:
            link.date_removed = now
    if not links:
        _link(session, imei, UNKNOWN_ENTITY_ID, now)
    session.flush()
    names = list(
        session.scalars(
            select(Entity.name)
            .join(ProductEntityLinker, ProductEntityLinker.entity_id == Entity.entity_id)
            .where(ProductEntityLinker.product_imei == imei, ProductEntityLinker.date_removed.is_(None))
            .order_by(ProductEntityLinker.product_entity_linker_id)
        )
    )
    return EntityChange(imei, message, names, unit_entity_id(session, imei))


def _prepare(
    session: Session, scope: UnitScope, imei: str, field: str, entity_id: int
) -> dict[int, ProductEntityLinker]:
    """Checks every action makes first; the unit's row locked, so changes to one unit apply in turn.
    Returns its open links by entity."""
    scope.ensure_visible(session, imei)
    lock_product(session, imei)
    _entity(session, field, entity_id)
    _allowed(scope, field, entity_id)
    return {link.entity_id: link for link in _open_links(session, imei)}


def _not_assigned(imei: str, field: str, entity_id: int) -> ValidationFailed:
    message = f"Product #{imei} is not assigned to entity {entity_id}"
    return ValidationFailed(message, validation_errors={field: message})


def assign_entity(
    session: Session, scope: UnitScope, imei: str, entity_id: int, now: datetime
) -> EntityChange:
    """Add `entity_id` to the unit's entities (assigning one it has already changes nothing)."""
    if entity_id not in _prepare(session, scope, imei, "entity_id", entity_id):
        _link(session, imei, entity_id, now)
    return _settle(session, imei, now, f"Product #{imei} assigned to entity: {entity_id}")


def change_entity(
    session: Session, scope: UnitScope, imei: str, old_entity_id: int, new_entity_id: int, now: datetime
) -> EntityChange:
    """Replace `old_entity_id` (which the unit must have) with `new_entity_id`."""
    links = _prepare(session, scope, imei, "new_entity_id", new_entity_id)
    old = links.get(old_entity_id)
    if old is None:
        raise _not_assigned(imei, "old_entity_id", old_entity_id)
    if old_entity_id != new_entity_id:
        old.date_removed = now
        if new_entity_id not in links:
            _link(session, imei, new_entity_id, now)
    return _settle(session, imei, now, f"Product #{imei} assigned to entity: {new_entity_id}")


def remove_entity(
    session: Session, scope: UnitScope, imei: str, entity_id: int, now: datetime
) -> EntityChange:
    """Remove `entity_id` from the unit; without entities left it belongs to Unknown Entity again."""
    link = _prepare(session, scope, imei, "entity_id", entity_id).get(entity_id)
    if link is None:
        raise _not_assigned(imei, "entity_id", entity_id)
    link.date_removed = now
    return _settle(session, imei, now, f"Entity #{entity_id} removed from Product #{imei}")
