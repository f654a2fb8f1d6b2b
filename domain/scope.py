"""ENTITY scope: which units a user may see. One definition used by lists, actions, workflows, webhooks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import Session, aliased

from db.models.product import ProductEntityLinker
from domain.errors import NotFound
from domain.permissions import Scope


@dataclass(frozen=True)
class UnitScope:
    """`entity_id` None means GLOBAL: every unit is visible."""

    entity_id: int | None

    @classmethod
    def for_user(cls, user) -> UnitScope:
        if user.scope is Scope.GLOBAL:
            return cls(entity_id=None)
        # An ENTITY user without an entity sees nothing rather than everything.
        return cls(entity_id=user.entity_id if user.entity_id is not None else -1)

    @property
    def is_global(self) -> bool:
        return self.entity_id is None

    def imei_visible(self, imei_column) -> ColumnElement[bool]:
        """A SQL condition true when the unit in `imei_column` is linked (now) to the user's entity."""
        if self.entity_id is None:
            return true()
        # An alias of its own: when the outer query is over product_entity_linker too, the plain
        # table would correlate with it and the check would compare a row's imei with itself.
        link = aliased(ProductEntityLinker)
        return exists(
            select(link.product_entity_linker_id).where(
                link.product_imei == imei_column,
                link.entity_id == self.entity_id,
                link.date_removed.is_(None),
            )
        )

    def ensure_visible(self, session: Session, imei: str) -> None:
        """404 (not 403) for another entity's unit, so its existence does not leak."""
        if self.entity_id is None:
            return
        if not session.scalar(select(self.imei_visible(imei))):
            raise NotFound(f"Product {imei} not found")


def unit_entity_id(session: Session, imei: str) -> int | None:
    """The entity a unit belongs to now (for workflow search attributes and webhook scoping)."""
    return session.scalar(
        select(ProductEntityLinker.entity_id)
        .where(ProductEntityLinker.product_imei == imei, ProductEntityLinker.date_removed.is_(None))
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
    )
