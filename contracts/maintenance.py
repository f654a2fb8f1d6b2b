"""The contract of the housekeeping workflows that run on a schedule."""

from __future__ import annotations

from pydantic import BaseModel

PURGE_TOKENS_SCHEDULE_ID = "maintenance/purge-expired-tokens"
SMS_EXPIRY_SWEEPER_ID = "maintenance/expire-overdue-sms"


class SmsExpiryInput(BaseModel):
    every_seconds: float = 60
    rounds_per_run: int = 500  # then continue-as-new (a round is a handful of history events)


class MaintenanceActivity:
    """Activity names, as recorded in running workflows' histories: never rename one."""

    PURGE_EXPIRED_TOKENS = "purge_expired_tokens"
    EXPIRE_OVERDUE_SMS = "expire_overdue_sms"
