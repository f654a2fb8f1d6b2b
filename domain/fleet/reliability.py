"""`/products/<imei>/connectivity_reliability_rate`: how many of the connections a unit should have
made between `start` and `end` it really made.

The doc's rule: a unit is expected to connect once every four hours, counted pessimistically (only
whole four-hour periods: a 7-hour window expects one connection), and a unit that connected more
often (wake-ups) is capped at 1.00. A window shorter than four hours expects one connection, so the
rate stays defined. Every RC-POST is one connection (`connection` rows), `start` <= date <= `end`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.history import Connection
from domain.errors import ValidationFailed
from domain.tables.values import parse_datetime

EXPECTED_INTERVAL = timedelta(hours=4)
DEFAULT_WINDOW = timedelta(days=7)
FORMATS = "an ISO 8601 date-time or 'yyyy-mm-dd HH:MM:SS'"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def _moment(name: str, value: Any) -> datetime:
    if isinstance(value, datetime):  # the API's typed parameters arrive parsed, as naive UTC
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(
            f"'{name}' must be {FORMATS}", validation_errors={name: f"Expected {FORMATS}, got {value!r}"}
        )
    try:
        # fromisoformat takes both the ISO form and 'yyyy-mm-dd HH:MM:SS'; a zone is converted to UTC.
        return parse_datetime(value)
    except ValueError:
        raise ValidationFailed(
            f"'{name}' must be {FORMATS}", validation_errors={name: f"Expected {FORMATS}, got {value!r}"}
        ) from None


def window(start: Any, end: Any, now: datetime) -> Window:
    """The window asked for (`None` takes the default: the last 7 days up to now), or a 400 why not."""
    end_at = now if end is None else _moment("end", end)
    start_at = now - DEFAULT_WINDOW if start is None else _moment("start", start)
    if end_at > now:
        raise ValidationFailed("'end' must not be in the future", validation_errors={"end": "In the future"})
    if end_at < start_at:
        raise ValidationFailed("'end' must not be before 'start'", validation_errors={"end": "Before start"})
    return Window(start_at, end_at)


def expected_connections(span: timedelta) -> int:
    """One per whole four hours (the doc's pessimistic count), and at least one."""
    return max(1, span // EXPECTED_INTERVAL)


def rate(connections: int, span: timedelta) -> float:
    """Connections made over connections expected, capped at 1.00, to two decimals as the doc shows."""
    return round(min(1.0, connections / expected_connections(span)), 2)


def reliability_rate(session: Session, imei: str, asked: Window) -> float:
    made = session.scalar(
        select(func.count())
        .select_from(Connection)
        .where(Connection.product_imei == imei, Connection.date.between(asked.start, asked.end))
    )
    return rate(made, asked.end - asked.start)
