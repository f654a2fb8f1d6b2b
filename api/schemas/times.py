"""Times as the doc writes them: naive UTC, `2016-07-28T08:43:09.501636`, no offset.

RFC 3339 (OpenAPI's `format: date-time`) requires an offset, which the doc never sends, so the schema
says what is sent with a pattern instead. Inputs may carry an offset (converted to UTC); answers never do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, StringConstraints, WithJsonSchema

_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?"
NAIVE_UTC_PATTERN = rf"^{_DATE}T{_TIME}$"
# What a request may send: the same, optionally with `Z` or an offset.
INPUT_DATETIME_PATTERN = rf"^{_DATE}T{_TIME}(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
EXAMPLE = "2016-07-28T08:43:09.501636"


def naive_utc_text(value: datetime) -> str:
    """`value` in UTC without an offset, as the doc writes times."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()


UTC_SCHEMA = {
    "type": "string",
    "pattern": NAIVE_UTC_PATTERN,
    "description": "UTC, without an offset",
    "examples": [EXAMPLE],
}
# An answer's time: a datetime (or the text of one) written as naive UTC.
UtcDateTime = Annotated[
    datetime, PlainSerializer(naive_utc_text, return_type=str, when_used="json"), WithJsonSchema(UTC_SCHEMA)
]


# What a query parameter may send: that, a space for the `T` (the doc's `yyyy-mm-dd HH:MM:SS`), or a bare
# date (its midnight).
QUERY_DATETIME_PATTERN = rf"^{_DATE}([T ]{_TIME}(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?$"


def naive_utc(text: str) -> datetime:
    """`text` (matching QUERY_DATETIME_PATTERN) as naive UTC; a day the calendar lacks is a ValueError."""
    value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


# A time in a request (query parameter or body field): validated by the pattern, then naive UTC. Bad
# input is a validation error (400 in the doc's envelope), never a 500.
InputDateTime = Annotated[
    str,
    StringConstraints(pattern=QUERY_DATETIME_PATTERN, max_length=40),
    AfterValidator(naive_utc),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": QUERY_DATETIME_PATTERN,
            "description": "UTC unless an offset is given; a bare date is its midnight",
            "examples": [EXAMPLE, "2016-07-28 08:43:09", "2016-07-28"],
        }
    ),
]
