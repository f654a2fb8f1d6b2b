"""JSON types as declared: a boolean is `true`/`false`, an integer is not a boolean, a time is a string.

Pydantic's lax mode reads `0` as `false`, `false` as `0` and `0` as 1970-01-01; a client that sends those
has a bug, and accepting them hides it. Request bodies use these types instead of the plain ones. A
date-time is the doc's naive UTC text (an offset is converted to UTC); its schema says so with a pattern,
not `format: date-time`, which would promise RFC 3339's mandatory offset.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict, StrictBool, StrictInt, WithJsonSchema

from api.schemas.times import EXAMPLE, INPUT_DATETIME_PATTERN
from domain.tables.values import to_naive_utc

_DATETIME_TEXT = re.compile(INPUT_DATETIME_PATTERN)
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _datetime_text(value: Any) -> Any:
    if not isinstance(value, str) or not _DATETIME_TEXT.match(value):
        raise ValueError(f"a date-time must be a string such as {EXAMPLE} (UTC, or with an offset)")
    return value


def _date_text(value: Any) -> Any:
    if not isinstance(value, str) or not _DATE_TEXT.match(value):
        raise ValueError("a date must be a string such as 2016-07-28")
    return value


JsonBool = StrictBool
JsonInt = StrictInt
# A float accepts an integer (JSON has one number type) but never a boolean or a string.
JsonFloat = Annotated[float, Strict()]
JsonDateTime = Annotated[
    datetime,
    BeforeValidator(_datetime_text),
    AfterValidator(to_naive_utc),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": INPUT_DATETIME_PATTERN,
            "description": "UTC without an offset (the doc's form), or with an offset converted to UTC",
            "examples": [EXAMPLE],
        }
    ),
]
JsonDate = Annotated[date, BeforeValidator(_date_text)]
