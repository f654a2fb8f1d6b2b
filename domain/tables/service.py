"""Generic create / read / update / delete of one table row, with the checks every table shares.

Callers pass already-typed values (the API validates JSON types with the generated schemas); this
module owns the rules that need the database: not-null, enum options, unique (409), foreign keys,
ENTITY scope. Nothing is committed here: the caller's unit of work commits once, and any failure
raised here leaves nothing written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Enum, delete, exists, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from db.base import Base
from db.models import MODELS_BY_TABLE
from domain.errors import AppError, BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from domain.scope import UnitScope
from domain.tables.columns import INT32_MAX, INT32_MIN, TableInfo, is_int, table_info
from domain.tables.ownership import check_write
from domain.tables.scope import is_scoped, may_change, row_visible


def _not_found(info: TableInfo, pk: Any) -> NotFound:
    return NotFound(f"No {info.name} with {info.pk_key} {pk}")


def get_row(session: Session, model: type[Base], pk: Any, scope: UnitScope) -> Base:
    """The row with primary key `pk`, or 404 if it does not exist or is outside `scope`."""
    info = table_info(model)
    if is_int(info.pk) and not (isinstance(pk, int) and INT32_MIN <= pk <= INT32_MAX):
        raise _not_found(info, pk)
    if isinstance(pk, str) and "\x00" in pk:  # no such key can exist (and the driver refuses NUL)
        raise _not_found(info, pk)
    row = session.scalar(select(model).where(info.pk == pk, row_visible(model, scope)))
    if row is None:
        raise _not_found(info, pk)
    return row


def create_row(session: Session, model: type[Base], values: dict[str, Any], scope: UnitScope) -> Base:
    """Insert a row from `values`; meta columns and system-assigned keys in `values` are ignored."""
    info = table_info(model)
    _ensure_may_change(info, scope, creating=True)
    data = check_write(None, info.name, _writable(info, values, keep_pk=not info.pk_is_system))
    errors = {key: "This field is required" for key in sorted(info.required - data.keys())}
    errors.update(_value_errors(info, data))
    if errors:
        raise ValidationFailed(
            f"Cannot create {info.name}: check the fields listed", validation_errors=errors
        )
    _check_unique(session, info, data, current_pk=None)
    _check_foreign_keys(session, info, data, scope)
    row = model(**data)
    session.add(row)
    _flush(session, info)
    _ensure_in_scope(session, info, getattr(row, info.pk_key), scope)
    return row


def update_row(
    session: Session, model: type[Base], pk: Any, values: dict[str, Any], scope: UnitScope
) -> Base:
    """Change the columns in `values` of row `pk`; the key itself and meta columns are ignored."""
    info = table_info(model)
    _ensure_may_change(info, scope)
    row = get_row(session, model, pk, scope)
    data = check_write(row, info.name, _writable(info, values, keep_pk=False))
    errors = _value_errors(info, data)
    if errors:
        raise ValidationFailed(
            f"Cannot update {info.name}: check the fields listed", validation_errors=errors
        )
    _check_unique(session, info, data, current_pk=pk)
    _check_foreign_keys(session, info, data, scope)
    for key, value in data.items():
        setattr(row, key, value)
    _flush(session, info)
    _ensure_in_scope(session, info, pk, scope)
    return row


def delete_row(session: Session, model: type[Base], pk: Any, scope: UnitScope) -> None:
    """Delete row `pk`: 404 outside scope, 409 while other rows still refer to it."""
    info = table_info(model)
    _ensure_may_change(info, scope)
    get_row(session, model, pk, scope)
    # A Core DELETE: the ORM would try to load (lazy="raise") collections to cascade.
    try:
        session.execute(delete(model.__table__).where(info.pk == pk))
    except IntegrityError as exc:
        raise Conflict(f"Cannot delete {info.name} {pk}: other rows still refer to it") from exc


def _ensure_may_change(info: TableInfo, scope: UnitScope, *, creating: bool = False) -> None:
    if not may_change(info.model, scope, creating=creating):
        raise Forbidden(f"Only GLOBAL users change {info.name}: its rows are shared by every entity")


def _writable(info: TableInfo, values: dict[str, Any], *, keep_pk: bool) -> dict[str, Any]:
    writable = {column.key for column in info.writable}
    if not keep_pk:
        writable.discard(info.pk_key)
    ignored = info.ignored_on_write | {info.pk_key}
    unknown = sorted(key for key in values if key not in writable and key not in ignored)
    if unknown:
        raise ValidationFailed(
            f"Unknown fields for {info.name}: {', '.join(unknown)}",
            validation_errors={key: "Unknown field" for key in unknown},
        )
    return {key: value for key, value in values.items() if key in writable}


def _value_errors(info: TableInfo, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    columns = {column.key: column for column in info.writable}
    for key, value in data.items():
        column = columns[key]
        if value is None:
            if not column.nullable:
                errors[key] = "This field may not be null"
        elif isinstance(column.type, Enum) and value not in column.type.enums:
            errors[key] = f"Must be one of: {', '.join(column.type.enums)}"
    return errors


def _check_unique(session: Session, info: TableInfo, data: dict[str, Any], current_pk: Any) -> None:
    candidates = list(info.unique) + ([info.pk] if info.pk_key in data else [])
    errors: dict[str, str] = {}
    for column in candidates:
        value = data.get(column.key)
        if value is None:
            continue
        query = select(info.pk).where(column == value)
        if current_pk is not None:
            query = query.where(info.pk != current_pk)
        if session.scalar(query.limit(1)) is not None:
            errors[column.key] = f"{value!r} is already taken by another {info.name}"
    if errors:
        raise Conflict(f"Cannot save {info.name}: a unique value is taken", validation_errors=errors)


def _check_foreign_keys(session: Session, info: TableInfo, data: dict[str, Any], scope: UnitScope) -> None:
    errors: dict[str, str] = {}
    for key, target in info.foreign_keys.items():
        value = data.get(key)
        if value is None:
            continue
        target_model = MODELS_BY_TABLE[target.table.name]
        found = session.scalar(select(exists().where(target == value, row_visible(target_model, scope))))
        if found:
            continue
        if not scope.is_global and is_scoped(target_model):
            # Another entity's unit and a unit that does not exist answer alike: existence must not leak.
            raise NotFound(f"No {target.table.name} with {target.key} {value}")
        errors[key] = f"No {target.table.name} with {target.key} {value!r}"
    if errors:
        raise ValidationFailed(f"Cannot save {info.name}: check the fields listed", validation_errors=errors)


def _ensure_in_scope(session: Session, info: TableInfo, pk: Any, scope: UnitScope) -> None:
    """A write may not leave a row outside the writer's scope (e.g. a factory_log about another unit)."""
    if scope.is_global or not is_scoped(info.model):
        return
    if not session.scalar(select(exists().where(info.pk == pk, row_visible(info.model, scope)))):
        raise _not_found(info, pk)


def _flush(session: Session, info: TableInfo) -> None:
    """Flush, turning the database's refusals into the API's errors (never a 500 for bad input)."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise _integrity_error(info, exc) from exc
    except DataError as exc:
        raise BadRequest(f"Invalid value for {info.name}: {_first_line(exc)}") from exc


def _integrity_error(info: TableInfo, exc: IntegrityError) -> AppError:
    code = getattr(exc.orig, "pgcode", None) or ""
    text = str(exc.orig)
    field = _field_of(info, exc)
    errors = {field: _first_line(exc)} if field else {}
    if code == "23505" or "UNIQUE constraint" in text:
        return Conflict(f"Cannot save {info.name}: a unique value is taken", validation_errors=errors)
    if code == "23503" or "FOREIGN KEY constraint" in text:
        return ValidationFailed(
            f"Cannot save {info.name}: a referenced row does not exist", validation_errors=errors
        )
    return ValidationFailed(f"Cannot save {info.name}: {_first_line(exc)}", validation_errors=errors)


def _field_of(info: TableInfo, exc: IntegrityError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    column = getattr(diag, "column_name", None)
    if column:
        return column
    constraint = getattr(diag, "constraint_name", None) or ""
    for candidate in sorted((c.key for c in info.writable), key=len, reverse=True):
        if f"_{candidate}" in constraint:
            return candidate
    return None


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", exc)
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
