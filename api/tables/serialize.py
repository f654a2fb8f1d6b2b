"""Rows to the doc's flat JSON objects, straight from column values (no per-row model validation:
a page of 100 rows must cost little next to its query)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary

from db.base import Base
from domain.tables.columns import table_info


def _iso(value) -> str:
    return value.isoformat()


def _base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _converter(column) -> Callable[[Any], Any] | None:
    if isinstance(column.type, (DateTime, Date)):
        return _iso
    if isinstance(column.type, LargeBinary):
        return _base64
    return None  # str, int, float, bool and JSON values are JSON already


class RowSerializer:
    """Turns a tuple of the table's readable column values (in order) into the doc's object."""

    def __init__(self, model: type[Base]) -> None:
        columns = table_info(model).readable
        self.keys = tuple(column.key for column in columns)
        self.conversions = tuple(
            (column.key, convert) for column in columns if (convert := _converter(column)) is not None
        )

    def __call__(self, values: Sequence[Any]) -> dict[str, Any]:
        obj = dict(zip(self.keys, values))
        for key, convert in self.conversions:
            value = obj[key]
            if value is not None:
                obj[key] = convert(value)
        return obj

    def from_object(self, row: Base) -> dict[str, Any]:
        return self(tuple(getattr(row, key) for key in self.keys))


@cache
def serializer_for(model: type[Base]) -> RowSerializer:
    return RowSerializer(model)
