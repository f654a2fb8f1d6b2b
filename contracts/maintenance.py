"""The contract of the housekeeping workflows that run on a schedule."""

from __future__ import annotations

PURGE_TOKENS_SCHEDULE_ID = "maintenance/purge-expired-tokens"


class MaintenanceActivity:
    """Activity names, as recorded in running workflows' histories: never rename one."""

    PURGE_EXPIRED_TOKENS = "purge_expired_tokens"
