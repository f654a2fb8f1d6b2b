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


class UnitConnection(BaseModel):
    """What an RC-GET delivered to the unit (the offered_* fields came with issue 6; older runs lack them)."""

    enable_flag: bool
    tamper_flag: bool
    at: datetime
    offered_payment_commands: list[str] = Field(default_factory=list)  # transaction_ids, in order
    offered_software_id: int | None = None  # product_software_linker_id of the pending update offered


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

    @property
    def empty(self) -> bool:
        return not (self.switches or self.payment_commands or self.software or self.parameters)


class WakeupPolicy(BaseModel):
    """How hard to try to wake a unit: read from the settings by the starter, fixed for the run."""

    sms_timeout_seconds: float = 3600
    max_retries: int = 3
    retry_backoff_seconds: float = 600
    backoff_coefficient: float = 2.0


class SmsRecord(BaseModel):
    """The sms_history row of one sent SMS, as the workflows need it."""

    sms_history_id: int
    product_imei: str
    message_reference: str
    attempted_retries: int
    sent_time: datetime
    sms_timeout: datetime
    enable_history_id: int | None = None


class SmsReceipt(BaseModel):
    message_reference: str
    delivered_at: datetime


class WakeupRequest(BaseModel):
    trigger: str = "wakeup"
    enable_history_id: int | None = None
    user: str


class CreditPolicy(BaseModel):
    """When unacknowledged payment commands fall back to SMS: read from the settings by the starter."""

    sms_after_seconds: float = 6 * 3600  # the unit has not connected for this long
    sms_max_rounds: int = 3  # SMS rounds per silence; a connection starts the count again
    sms_timeout_seconds: float = 3600


class DeviceInput(BaseModel):
    imei: str
    policy: WakeupPolicy = Field(default_factory=WakeupPolicy)
    credit: CreditPolicy = Field(default_factory=CreditPolicy)


class CommandDelivery(BaseModel):
    """One pending payment command as the device workflow sees it (the operator's view)."""

    transaction_id: str
    category: str
    value: int
    status: str | None
    offered: int = 0  # RC-GETs that carried it while this workflow watched
    sms_sent: int = 0


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
    parameters: list[PendingParameter] = Field(default_factory=list)
