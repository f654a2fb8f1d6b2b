"""ENTITY scope for table rows: the one rule, per table, of which rows an ENTITY user may see and change.

Two tables are the roots of ownership: a `product` row belongs to the entity it is linked to now
(`product_entity_linker`, `date_removed` null), an `entity` row to itself. Every other table that
refers (by foreign key, or by a `product_imei` column) to a row owned by an entity is *owned*: an
ENTITY user sees and changes a row when it refers to at least one owned row and every owned row it
refers to is theirs. So a note is theirs through its unit, an alert through its unit and its repair,
a `product_entity_linker` row when its entity is theirs and so is the unit, a hub through its entity,
a shop through its hub. Tables that refer to no owned row are reference data (types, linkers between
types, repair flow selectors, channels): everyone reads them, only GLOBAL users change them, since a
change there changes every entity's behaviour. `GLOBAL_ONLY_TABLES` are hidden from ENTITY users.

Every table endpoint, relation filter, relation ordering and foreign-key check goes through
`row_visible`; new endpoints over table rows must too (see the README, "Entity scope").
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Column, ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from db.base import Base
from db.models import MODELS_BY_TABLE
from db.models.organisation import Entity
from db.models.product import Product
from domain.scope import UnitScope

ROOT_TABLES = frozenset({Product.__tablename__, Entity.__tablename__})
# Raw messages that failed processing: their payloads may name any unit, so only GLOBAL users see them.
GLOBAL_ONLY_TABLES = frozenset({"rtc_dead_letter"})
# Tables an ENTITY user may not add rows to even though they see their own (a new entity is nobody's).
GLOBAL_CREATE_TABLES = frozenset({Entity.__tablename__})


def _referenced_table(column: Column) -> str | None:
    if column.foreign_keys:
        return next(iter(column.foreign_keys)).column.table.name
    # A unit's imei kept without a foreign key (event logs) still says which unit the row is about.
    return Product.__tablename__ if column.key == "product_imei" else None


@cache
def owner_columns(table: str) -> tuple[Column, ...]:
    """The columns of `table` that refer to entity-owned rows (empty for roots and reference data)."""
    if table in ROOT_TABLES:
        return ()
    return tuple(
        column
        for column in MODELS_BY_TABLE[table].__table__.columns
        if (target := _referenced_table(column)) is not None and target != table and is_owned_table(target)
    )


@cache
def is_owned_table(table: str, _seen: frozenset[str] = frozenset()) -> bool:
    """Whether rows of `table` belong to an entity (directly, or through the rows they refer to)."""
    if table in ROOT_TABLES:
        return True
    if table in _seen:
        return False
    seen = _seen | {table}
    return any(
        (target := _referenced_table(column)) is not None and target != table and is_owned_table(target, seen)
        for column in MODELS_BY_TABLE[table].__table__.columns
    )


def is_scoped(model: type[Base]) -> bool:
    """Whether ENTITY users see only some rows of this table."""
    return model.__tablename__ in GLOBAL_ONLY_TABLES or is_owned_table(model.__tablename__)


def may_change(model: type[Base], scope: UnitScope, *, creating: bool = False) -> bool:
    """Whether `scope` may write rows of this table at all (which rows: `row_visible`)."""
    if scope.is_global:
        return True
    if creating and model.__tablename__ in GLOBAL_CREATE_TABLES:
        return False
    return is_owned_table(model.__tablename__)


def row_visible(model: type[Base], scope: UnitScope) -> ColumnElement[bool]:
    """A SQL condition on `model`'s table: true for the rows `scope` may see and change."""
    return _visible(model.__tablename__, model.__table__.c, scope)


def _visible(table: str, columns, scope: UnitScope) -> ColumnElement[bool]:
    """The rule for `table`, on `columns` (the table's own, or an alias's)."""
    if scope.is_global:
        return true()
    if table in GLOBAL_ONLY_TABLES:
        return false()
    if table == Product.__tablename__:
        return scope.imei_visible(columns.product_imei)
    if table == Entity.__tablename__:
        return columns.entity_id == scope.entity_id
    owners = owner_columns(table)
    if not owners:
        return true()
    refs = [columns[column.key] for column in owners]
    # About at least one owned row, and every owned row it names is the user's.
    return and_(
        or_(*(ref.is_not(None) for ref in refs)),
        *(_refers_to_visible(ref, owner, scope) for ref, owner in zip(refs, owners, strict=True)),
    )


def _refers_to_visible(ref: ColumnElement, owner: Column, scope: UnitScope) -> ColumnElement[bool]:
    target_table = _referenced_table(owner)
    if target_table == Product.__tablename__:
        check = scope.imei_visible(ref)
    elif target_table == Entity.__tablename__:
        check = ref == scope.entity_id
    else:
        # An alias, so the check never correlates with an outer query over the same table.
        target = aliased(MODELS_BY_TABLE[target_table].__table__)
        target_key = target.c[next(iter(owner.foreign_keys)).column.key]
        check = exists(select(target_key).where(target_key == ref, _visible(target_table, target.c, scope)))
    return or_(ref.is_(None), check) if owner.nullable else check
