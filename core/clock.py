"""The one place that reads the wall clock (UTC, naive, as the doc's timestamps are)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
