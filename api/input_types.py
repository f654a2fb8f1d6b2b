"""JSON types as declared: a boolean is `true`/`false`, an integer is not a boolean, a time is a string.

Pydantic's lax mode reads `0` as `false`, `false` as `0` and `0` as 1970-01-01; a client that sends those
has a bug, and accepting them hides it. Request bodies use these types instead of the plain ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict, StrictBool, StrictInt

from domain.tables.values import to_naive_utc


def _text_only(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("a date-time must be a string such as 2016-07-28T08:43:09.501636")
    return value


JsonBool = StrictBool
JsonInt = StrictInt
# A float accepts an integer (JSON has one number type) but never a boolean or a string.
JsonFloat = Annotated[float, Strict()]
JsonDateTime = Annotated[datetime, BeforeValidator(_text_only), AfterValidator(to_naive_utc)]
JsonDate = Annotated[date, BeforeValidator(_text_only)]
