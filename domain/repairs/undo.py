"""Undo commands: how to put back the rows a step changed (kept in repair_workflow_history).

A step's effects record, as they go, the inverse of each change: delete a row they inserted, or
restore the columns they overwrote to the values read before. Restores are Core UPDATEs, so the
meta-column hook does not re-stamp them: the row comes back exactly as it was.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Date, DateTime, and_, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.base import Base
from domain.errors import Conflict


class UndoOp(BaseModel):
    """Delete the row `key` of `table`, or restore its `values`."""

    op: Literal["delete", "restore"]
    table: str
    key: dict[str, Any]
    values: dict[str, Any] = Field(default_factory=dict)


def delete_row(row: Base) -> UndoOp:
    """The inverse of inserting `row` (flushed, so its key is known)."""
    return UndoOp(op="delete", table=row.__tablename__, key=_key(row))


def restore_columns(row: Base, columns: list[str]) -> UndoOp:
    """The inverse of changing `columns` of `row`: call it before changing them."""
    return UndoOp(
        op="restore", table=row.__tablename__, key=_key(row), values={c: getattr(row, c) for c in columns}
    )


def _key(row: Base) -> dict[str, Any]:
    mapper = row.__mapper__
    return {col.key: getattr(row, col.key) for col in mapper.primary_key}


def encode(ops: list[UndoOp]) -> bytes:
    return json.dumps([op.model_dump(mode="json") for op in ops]).encode()


def decode(blob: bytes | None) -> list[UndoOp]:
    return [UndoOp.model_validate(item) for item in json.loads(blob or b"[]")]


def _coerce(table, column: str, value: Any) -> Any:
    # JSON carried datetimes as ISO strings; the column's type says what to make of them again.
    if value is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def revert(session: Session, ops: list[UndoOp]) -> None:
    """Apply the inverse commands, last change first. Raises Conflict if the rows changed since."""
    session.flush()
    try:
        for op in reversed(ops):
            table = Base.metadata.tables[op.table]
            where = and_(*(table.c[k] == v for k, v in op.key.items()))
            if op.op == "delete":
                result = session.execute(delete(table).where(where))
            else:
                values = {c: _coerce(table, c, v) for c, v in op.values.items()}
                result = session.execute(update(table).where(where).values(values))
            if result.rowcount != 1:
                raise Conflict(f"Cannot undo: the {op.table} row {op.key} has changed since this step")
    except IntegrityError as err:
        raise Conflict(f"Cannot undo: rows this step wrote are now used elsewhere ({err.orig})") from err
    # The ORM's copies of the reverted rows are stale now.
    session.expire_all()
