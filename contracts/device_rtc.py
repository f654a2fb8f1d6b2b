"""The RTC part of DeviceWorkflow's contract: pushing pending changes to an RTC unit over the broker.

For a unit with an RTC link the workflow publishes what an RC-GET would answer (one STATE message) as soon as
something is pending, and waits for the unit's reply (the RTC consumer signals `rtc_replied`). A unit that
does not answer within `DeviceInput.rtc_reply_timeout_seconds`, has no link, or a broker that is away, falls
back to the RC-GET path with its wake-up SMS.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, Field

from domain.device.models import ChangeRequest, PendingChanges

# The reason of the `pending_changed` signal the RTC consumer sends when a unit comes online: push again.
RTC_ONLINE = "rtc online"


class PushOutcome(str, Enum):
    PUBLISHED = "published"  # on the broker, routed to the unit's link: wait for its reply
    NOT_RTC = "not-rtc"  # the unit is not (any more) an RTC unit, or nothing was pending
    NO_LINK = "no-link"  # the broker has no link bound for the unit (its MT row is `failed`)
    BROKER_UNAVAILABLE = "broker-unavailable"


class RtcPushInput(BaseModel):
    imei: str
    # Chosen by the workflow, so a retried activity records and publishes the same message.
    message_id: str
    at: datetime


class RtcPushResult(BaseModel):
    outcome: PushOutcome
    pending: PendingChanges  # what is pending now (what the message carried)
    info: str | None = None


class RtcReply(BaseModel):
    """The unit's reply to an MT message, after the consumer settled what a STATE delivered."""

    message_id: str
    delivered: bool
    at: datetime
    offered_payment_commands: list[str] = Field(default_factory=list)


class RtcPushState(BaseModel):
    """What the workflow knows of its pushes; carried through continue-as-new inside `DeviceState`."""

    unit: bool = False  # the last read of the database said the unit is an RTC unit
    in_flight: str | None = None  # message id of the STATE waiting for its reply
    reply_due: datetime | None = None
    pushed: list[str] = Field(default_factory=list)  # what the last push carried, one item per change
    fallback: str | None = None  # why the unit is on the RC-GET path now (None: the push path)
    replies: list[RtcReply] = Field(default_factory=list)  # heard, not handled yet
    held_wakeups: list[ChangeRequest] = Field(default_factory=list)  # started only on fallback
    pushes: int = 0
