"""Messages between the API, the device workflows and their activities (pydantic, no I/O)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


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


class PendingParameter(BaseModel):
    """A parameter waiting for the unit: a pending `parameter` row, or a `part_parameter` row (`part_id`)."""

    id: int  # parameter_id, or part_parameter_id when part_id is set
    part_id: int | None = None
    parameter_type: str  # the parameter_type's name, as the unit knows it
    value: str

    def describe(self) -> str:
        where = f" (part {self.part_id})" if self.part_id is not None else ""
        return f"parameter {self.parameter_type}={self.value}{where}"


class ReportedParameter(BaseModel):
    """One parameter an RC-POST says the unit runs (`part_id` for one of its parts)."""

    model_config = ConfigDict(strict=True)

    parameter_type: str = Field(min_length=1, max_length=255)
    value: str = Field(max_length=255)
    part_id: int | None = None


class PendingChanges(BaseModel):
    """What is still waiting for the unit: switch kind -> desired flag, payment commands, a software update,
    parameters."""

    switches: dict[SwitchKind, bool] = Field(default_factory=dict)
    payment_commands: list[PendingCommand] = Field(default_factory=list)
    software: PendingSoftware | None = None
    parameters: list[PendingParameter] = Field(default_factory=list)
    # Not a change: the unit holds an RTC link (`product.rtc_enabled_flag`), so its workflow pushes changes.
    rtc_unit: bool = False

    @property
    def empty(self) -> bool:
        return not (self.switches or self.payment_commands or self.software or self.parameters)


class SmsRecord(BaseModel):
    """The sms_history row of one sent SMS, as the workflows need it."""

    sms_history_id: int
    product_imei: str
    message_reference: str
    attempted_retries: int
    sent_time: datetime
    sms_timeout: datetime
    enable_history_id: int | None = None
