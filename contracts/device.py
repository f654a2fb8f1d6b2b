"""The contract of DeviceWorkflow (`device/<imei>`) and its WakeupWorkflow child (`wakeup/<imei>`).

Inputs, the payloads of their signals, updates and queries, the names and inputs of their activities,
and the state a DeviceWorkflow carries through continue-as-new. The payloads the domain itself produces
(`ChangeRequest`, `PendingChanges`, `SmsRecord`, ...) live in `domain.device.models` and are named here
so both sides import one module.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from contracts.device_rtc import RtcPushState
from domain.device.models import (
    ChangeRequest,
    PendingChanges,
    PendingCommand,
    PendingParameter,
    PendingSoftware,
    SmsRecord,
    SwitchKind,
)

__all__ = [
    "ChangeRequest",
    "PendingChanges",
    "PendingCommand",
    "PendingParameter",
    "PendingSoftware",
    "SmsRecord",
    "SwitchKind",
]

# Error type of an ApplicationError raised by the device activities for a unit that does not exist.
PRODUCT_NOT_FOUND = "ProductNotFound"


def device_workflow_id(imei: str) -> str:
    return f"device/{imei}"


def wakeup_workflow_id(imei: str) -> str:
    return f"wakeup/{imei}"  # one wake-up at a time per unit


class DeviceActivity:
    """Activity names, as recorded in running workflows' histories: never rename one."""

    LOAD_PENDING = "load_pending_changes"
    RECORD_DELIVERY = "record_delivery"
    CANCEL_PENDING = "cancel_pending_changes"
    SEND_WAKEUP_SMS = "send_wakeup_sms"
    SETTLE_SMS = "settle_sms"
    SEND_PAYMENT_SMS = "send_payment_sms"
    UNIT_CONNECTED_SINCE = "unit_connected_since"
    PUSH_RTC_STATE = "push_rtc_state"


class UnitConnection(BaseModel):
    """What an RC-GET delivered to the unit (the offered_* fields came later; older runs lack them)."""

    enable_flag: bool
    tamper_flag: bool
    at: datetime
    offered_payment_commands: list[str] = Field(default_factory=list)  # transaction_ids, in order
    offered_software_id: int | None = None  # product_software_linker_id of the pending update offered
    # The RC-GET recorded this delivery in its own transaction (later API versions): the workflow reads what
    # is left instead of recording it.
    recorded: bool = False


class SmsReceipt(BaseModel):
    message_reference: str
    delivered_at: datetime


class WakeupRequest(BaseModel):
    trigger: str = "wakeup"
    enable_history_id: int | None = None
    user: str


class WakeupPolicy(BaseModel):
    """How hard to try to wake a unit: read from the settings by the starter, fixed for the run."""

    sms_timeout_seconds: float = 3600
    max_retries: int = 3
    retry_backoff_seconds: float = 600
    backoff_coefficient: float = 2.0


class CreditPolicy(BaseModel):
    """When unacknowledged payment commands fall back to SMS: read from the settings by the starter."""

    sms_after_seconds: float = 6 * 3600  # the unit has not connected for this long
    sms_max_rounds: int = 3  # SMS rounds per silence; a connection starts the count again
    sms_timeout_seconds: float = 3600


class CommandDelivery(BaseModel):
    """One pending payment command as the device workflow sees it (the operator's view)."""

    transaction_id: str
    category: str
    value: int
    status: str | None
    offered: int = 0  # RC-GETs that carried it while this workflow watched
    sms_sent: int = 0


class CreditState(BaseModel):
    """What the workflow knows of payment commands and software beyond the database: offers, SMS rounds
    and since when the unit has been silent (the SMS fallback clock)."""

    commands: dict[str, CommandDelivery] = Field(default_factory=dict)
    software: PendingSoftware | None = None
    sms_rounds: int = 0  # SMS rounds sent since the unit was last heard of
    silent_since: datetime | None = None


class DeviceState(BaseModel):
    """Everything a DeviceWorkflow holds, in one model, so continue-as-new carries all of it."""

    pending: dict[SwitchKind, bool] = Field(default_factory=dict)
    connections: list[UnitConnection] = Field(default_factory=list)  # heard, not handled yet
    wakeups: list[ChangeRequest] = Field(default_factory=list)  # asked for, not started yet
    wakeups_asked: list[int] = Field(default_factory=list)  # history ids whose wake-up was asked for
    cancel_by: str | None = None
    reload: bool = False  # pending_changed: something was written for this unit; read it again
    connections_seen: int = 0
    last_connection: datetime | None = None
    credit: CreditState = Field(default_factory=CreditState)
    parameters: list[PendingParameter] = Field(default_factory=list)
    rtc: RtcPushState = Field(default_factory=RtcPushState)


class DeviceInput(BaseModel):
    imei: str
    policy: WakeupPolicy = Field(default_factory=WakeupPolicy)
    credit: CreditPolicy = Field(default_factory=CreditPolicy)
    # Continue-as-new once a run's history is this long (besides Temporal's own suggestion).
    max_history_events: int | None = None
    # An RTC unit that has not replied to a pushed change within this falls back to RC-GET and wake-up SMS.
    rtc_reply_timeout_seconds: float = 20
    # Set by continue-as-new: the new run carries on with the old run's state.
    state: DeviceState | None = None


class DeviceStatus(BaseModel):
    """The device workflow's answer to the `status` query (and what the operator reads)."""

    imei: str
    pending: dict[SwitchKind, bool]
    wakeup_running: bool
    connections_seen: int
    last_connection: datetime | None = None
    payment_commands: list[CommandDelivery] = Field(default_factory=list)
    software: PendingSoftware | None = None
    next_sms_at: datetime | None = None
    sms_rounds: int = 0
    parameters: list[PendingParameter] = Field(default_factory=list)
    # RTC units: "push" (a STATE message waits for the unit's reply) or "rc-get" (the unit's next RC-GET), and
    # what the workflow waits for, in words.
    rtc_path: str | None = None
    rtc_waiting_for: str | None = None


# Activity inputs and results.


class RecordDeliveryInput(BaseModel):
    imei: str
    delivered: dict[SwitchKind, bool]
    at: datetime
    offered_payment_commands: list[str] = Field(default_factory=list)
    offered_software_id: int | None = None
    # Recorded by the RC-GET already: only read what is left (the same activity, so the workflow's commands
    # stay those of its recorded histories).
    recorded: bool = False


class CancelInput(BaseModel):
    imei: str
    user: str


class SendSmsInput(BaseModel):
    imei: str
    # The workflow's clock, so the row's sms_timeout is the deadline the workflow actually waits for.
    sent_at: datetime
    enable_history_id: int | None
    attempted_retries: int
    timeout_seconds: float
    user: str
    trigger: str = "wakeup"


class SettleSmsInput(BaseModel):
    sms_history_id: int
    status: str
    at: datetime


class ConnectedSinceInput(BaseModel):
    imei: str
    since: datetime  # naive UTC, as the database's connection dates


class PaymentSmsInput(BaseModel):
    imei: str
    transaction_ids: list[str]  # what the workflow believes is outstanding; re-read here
    sent_at: datetime  # the workflow's clock, so sms_timeout is the deadline it waits for
    timeout_seconds: float
    attempted_retries: int  # SMS rounds sent before this one in this silence


class PaymentSmsResult(BaseModel):
    sms: list[SmsRecord]
    transaction_ids: list[str]  # the commands that went out, one SMS each (same order)


# WakeupWorkflow.


class WakeupInput(BaseModel):
    imei: str
    policy: WakeupPolicy
    enable_history_id: int | None = None
    user: str
    # Set when the SMS was already sent by the parent (an on-demand send_wakeup answers with it).
    first_sms: SmsRecord | None = None


class WakeupStatus(BaseModel):
    sent: int
    outstanding: list[str]
    next_retry_at: datetime | None
    connected: bool
