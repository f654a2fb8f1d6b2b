"""A generic row factory for any table: required columns get plain values, required parents are
reused (or made). Keeps the table tests free of 80 hand-written factories."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Float, Integer, LargeBinary, String, select
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON

from core.clock import utcnow
from db.base import Base
from db.models import MODELS_BY_TABLE
from domain.tables.columns import table_info

_seq = count(1)


def _plain_value(column: Column, n: int) -> Any:
    kind = column.type
    if isinstance(kind, Enum):
        return kind.enums[0]
    if isinstance(kind, String):
        text = f"{column.key[:4]}{n}"
        return f"{n:015d}" if kind.length == 15 else text[: kind.length or None]
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, Float):
        return 1.5
    if isinstance(kind, DateTime):
        return utcnow()
    if isinstance(kind, Date):
        return date.today()
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, LargeBinary):
        return b""
    raise TypeError(f"no plain value for {column}")


def make_row(session: Session, table: str | type[Base], **values: Any) -> Base:
    """Insert a row of `table` with `values`, filling every other required column; commits."""
    model = MODELS_BY_TABLE[table] if isinstance(table, str) else table
    info = table_info(model)
    n = next(_seq)
    for column in info.writable:
        if column.key in values or column.key not in info.required:
            continue
        target = info.foreign_keys.get(column.key)
        if target is None:
            values[column.key] = _plain_value(column, n)
            continue
        existing = None if column.unique else session.scalar(select(target).limit(1))
        values[column.key] = (
            existing if existing is not None else getattr(make_row(session, target.table.name), target.key)
        )
    row = model(**values)
    session.add(row)
    session.commit()
    return row
