"""Answers of the product actions: switches, wake-ups, RTC messages, software, DCM and energy limits."""

from __future__ import annotations

from pydantic import BaseModel

from api.schemas.envelope import Envelope
from api.schemas.times import UtcDateTime
from api.tables.schemas import table_schemas
from db.models.history import SmsHistory

SmsRow = table_schemas(SmsHistory).row


class SmsSent(Envelope[SmsRow]):  # type: ignore[valid-type]
    """send_wakeup: the `sms_history` row of the wake-up SMS."""


class MessageReference(BaseModel):
    """The `rtc_message_history` reference of the message sent to the unit."""

    message_reference: str


class Imported(BaseModel):
    imported: int


class SoftwareLock(BaseModel):
    """The lock now in force; both `null` once removed."""

    software_lock_id: int | None
    software_lock_name: str | None


class ForceResetDone(BaseModel):
    outstanding_payments: int
    last_known_balance: int | None


class PendingPaymentCommand(BaseModel):
    category: str
    created_at: UtcDateTime | None
    modified_at: UtcDateTime | None
    value: int
    transaction_id: str
    status: str | None


class BalanceAndPending(BaseModel):
    """The unit's last reported balance (seconds) and its expiry; the commands not yet applied, newest first."""

    balance: int | None
    expected_expiry: UtcDateTime | None
    pending_payment_commands: list[PendingPaymentCommand]


class EnergyLimitSuggestion(BaseModel):
    requested: float
    applied: float
    max_energy_limit: float
    min_energy_limit: float
    bounded: bool
    energy_limit_cap: float | None
    truncated: bool
    parameter_id: int
