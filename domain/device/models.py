"""Messages between the API, the device workflows and their activities (pydantic, no I/O)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, Field


class SwitchKind(str, Enum):
    """The two remote switches of a unit; both follow the same pending -> delivered life cycle."""

    ENABLE = "enable"
    TAMPER = "tamper"


class ChangeRequest(BaseModel):
    """A user asked for a switch to move; `enable_history_id` is the pending history row written for it."""

    imei: str
    kind: SwitchKind
    target: bool
    history_id: int
    user: str
    wakeup: bool = False


class PendingCommand(BaseModel):
    """A payment_command the unit has not acknowledged yet (and that no reset voided)."""

    payment_command_id: int
    transaction_id: str
    category: str
    value: int
    status: str | None


class PendingSoftware(BaseModel):
    """A software update waiting for the unit: its pending product_software_linker row."""

    product_software_linker_id: int
    software_version_type_id: int
    name: str
    link: str | None = None
    checksum: str | None = None
    update_attempts: int = 0


class PendingChanges(BaseModel):
    """What is still waiting for the unit: switch kind -> desired flag, payment commands, a software update."""

    switches: dict[SwitchKind, bool] = Field(default_factory=dict)
    payment_commands: list[PendingCommand] = Field(default_factory=list)
    software: PendingSoftware | None = None

    @property
    def empty(self) -> bool:
        return not (self.switches or self.payment_commands or self.software)


class SmsRecord(BaseModel):
    """The sms_history row of one sent SMS, as the workflows need it."""

    sms_history_id: int
    product_imei: str
    message_reference: str
    attempted_retries: int
    sent_time: datetime
    sms_timeout: datetime
    enable_history_id: int | None = None
