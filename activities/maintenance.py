"""Housekeeping activities."""

from __future__ import annotations

from temporalio import activity

from core.clock import utcnow
from db.session import session_scope
from domain.users import purge_expired_tokens as purge


@activity.defn
def purge_expired_tokens() -> int:
    """Blocking DB work, so a plain `def` (run in the worker's thread pool)."""
    with session_scope(actor="system:maintenance") as session:
        return purge(session, utcnow())
