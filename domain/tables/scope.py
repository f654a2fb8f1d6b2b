"""ENTITY scope for table rows: which rows of a table are "about" a unit the user may see.

A row with a `product_imei` is about that unit; a row with a `repair_id` is about the repaired unit;
a subscriber belongs to its entity. Every other table is reference data (types, linkers between
types) and stays visible to everyone.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from db.base import Base
from db.models.repair import Repair
from domain.scope import UnitScope

# Tables owned by an entity directly (not through a unit): their rows are visible to that entity only.
ENTITY_OWNED_TABLES = frozenset({"subscriber"})


def is_scoped(model: type[Base]) -> bool:
    """Whether ENTITY users see only some rows of this table."""
    columns = model.__table__.c
    return "product_imei" in columns or "repair_id" in columns or model.__tablename__ in ENTITY_OWNED_TABLES


def row_visible(model: type[Base], scope: UnitScope) -> ColumnElement[bool]:
    """A SQL condition on `model`'s table: true for the rows `scope` may see and change."""
    if scope.is_global or not is_scoped(model):
        return true()
    columns = model.__table__.c
    conditions: list[ColumnElement[bool]] = []
    if "product_imei" in columns:
        conditions.append(scope.imei_visible(columns.product_imei))
    if "repair_id" in columns and model is not Repair:
        conditions.append(
            exists(
                select(Repair.repair_id).where(
                    Repair.repair_id == columns.repair_id, scope.imei_visible(Repair.product_imei)
                )
            )
        )
    if model.__tablename__ in ENTITY_OWNED_TABLES:
        conditions.append(columns.entity_id == scope.entity_id)
    return or_(*conditions) if conditions else false()
