"""Turn a JSON value from a query into the Python value a column compares with, or say why not."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, String

from domain.tables.columns import INT32_MAX, INT32_MIN, is_opaque


class InvalidValue(ValueError):
    """A value that cannot stand for a column's type; the message says what was expected."""


def text_value(value: str) -> str:
    """PostgreSQL text cannot hold NUL; refuse it here rather than fail in the driver."""
    if "\x00" in value:
        raise InvalidValue("Text may not contain NUL (\\u0000) characters")
    return value


def to_naive_utc(value: datetime) -> datetime:
    """The database keeps naive UTC; an aware time from a client is converted, not truncated."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def parse_datetime(value: str) -> datetime:
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return to_naive_utc(datetime.fromisoformat(text))


def _bad(column: Column, value: Any, expected: str) -> InvalidValue:
    return InvalidValue(f"Invalid value {value!r} for field '{column.key}': expected {expected}")


def coerce(column: Column, value: Any) -> Any:
    """`value` as `column`'s Python type. Numbers given as strings and vice versa are accepted
    where the meaning is plain (the doc filters string IMEIs with integers); else `InvalidValue`."""
    kind = column.type
    if is_opaque(column):
        raise InvalidValue(
            f"Field '{column.key}' holds JSON or binary data and can only be tested with is_null / is_not_null"
        )
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise _bad(column, value, "a boolean")
    if isinstance(kind, Integer):
        number = value
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            number = int(value)
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if isinstance(number, bool) or not isinstance(number, int):
            raise _bad(column, value, "an integer")
        if not INT32_MIN <= number <= INT32_MAX:
            raise _bad(column, value, "an integer within 32 bits")
        return number
    if isinstance(kind, Float):
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise _bad(column, value, "a number") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _bad(column, value, "a number")
        return float(value)
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            raise _bad(column, value, "an ISO 8601 date-time string")
        try:
            return parse_datetime(value)
        except ValueError:
            raise _bad(column, value, "an ISO 8601 date-time string") from None
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise _bad(column, value, "an ISO 8601 date string")
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            try:
                return parse_datetime(value).date()
            except ValueError:
                raise _bad(column, value, "an ISO 8601 date string") from None
    if isinstance(kind, String):  # also Text and Enum
        if isinstance(value, str):
            return text_value(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise _bad(column, value, "a string")
    return value


def comparable(left: Column, right: Column) -> bool:
    """Whether two columns can be compared with each other in SQL without a cast."""

    def family(column: Column) -> str:
        kind = column.type
        if is_opaque(column):
            return f"opaque:{column.key}"
        if isinstance(kind, Boolean):
            return "bool"
        if isinstance(kind, (Integer, Float)):
            return "number"
        if isinstance(kind, (Date, DateTime)):
            return "time"
        if isinstance(kind, String):
            return "text"
        return f"other:{type(kind).__name__}"

    return family(left) == family(right)
