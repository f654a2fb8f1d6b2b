"""The RC-GET answer, typed down to each item, so the OpenAPI document (/docs) shows exactly what a unit
receives (the RTC link's STATE message carries the same answer)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SoftwareOffer(BaseModel):
    """The update the unit should install."""

    name: str
    link: str | None = None
    checksum: str | None = None


class PaymentCommandOffer(BaseModel):
    """A payment command to apply; the unit acknowledges it by `transaction_id` in its next RC-POST."""

    transaction_id: str
    category: str
    value: int


class ParameterOffer(BaseModel):
    """A parameter to set on the unit (`parameter_type` is the type's name, as the unit knows it)."""

    parameter_type: str
    value: str


class PartParameterOffer(ParameterOffer):
    """A parameter to set on one of the unit's parts."""

    part_id: int


class RcAnswer(BaseModel):
    """RC-GET answer: what the unit should be, the update to install, the payment commands to apply (in order),
    the parameters to set on the unit and on its parts."""

    enable_flag: bool
    tamper_flag: bool
    software: SoftwareOffer | None = None
    payment_commands: list[PaymentCommandOffer] = Field(default_factory=list)
    parameters: list[ParameterOffer] = Field(default_factory=list)
    part_parameters: list[PartParameterOffer] = Field(default_factory=list)
