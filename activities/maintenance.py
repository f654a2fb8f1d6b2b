"""Housekeeping activities."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity

from contracts.maintenance import MaintenanceActivity
from core.clock import utcnow
from db.session import session_scope
from domain.device import wakeup
from domain.users import purge_expired_tokens as purge


class MaintenanceActivities:
    def all(self) -> list[Callable]:
        return [self.purge_expired_tokens, self.expire_overdue_sms]

    @activity.defn(name=MaintenanceActivity.PURGE_EXPIRED_TOKENS)
    def purge_expired_tokens(self) -> int:
        """Blocking DB work, so a plain `def` (run in the worker's thread pool)."""
        with session_scope(actor="system:maintenance") as session:
            return purge(session, utcnow())

    @activity.defn(name=MaintenanceActivity.EXPIRE_OVERDUE_SMS)
    def expire_overdue_sms(self) -> int:
        """SMS past their timeout without a receipt become Expired (one UPDATE on a partial index)."""
        with session_scope(actor="system:sms") as session:
            return wakeup.expire_overdue(session, utcnow())
