"""The one place that reads the wall clock (UTC, naive, as the doc's timestamps are)."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
