"""The doc's DCM endpoints: add_payment_command, force_reset, balance_and_pending_payments, and the DCM
product flags. Every rule is checked before anything is written (domain/dcm); what must reach the unit is
then handed to its DeviceWorkflow, which delivers it in RC-GETs and falls back to SMS."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from api.deps import AdminUser, ClockDep, OverviewUser, ScopeDep, SessionDep, TechnicalUser
from api.schemas.envelope import Done, Envelope
from api.schemas.products import BalanceAndPending, ForceResetDone
from api.temporal import TemporalDep
from clients.device import hand_over
from domain.dcm import commands, flags
from domain.dcm.rules import FORCE_RESET, SIGN_RULES

router = APIRouter(prefix="/products", tags=["DCM"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]
INT32 = {"ge": -(2**31), "le": 2**31 - 1}
# Travels in a `DCM <transaction_id> <category> <value>` SMS when the unit is out of data coverage.
TransactionId = Annotated[str, Field(min_length=1, max_length=200)]


class NewPaymentCommand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: StrictInt = Field(**INT32)
    category: str
    transaction_id: TransactionId

    @field_validator("category")
    @classmethod
    def _known_category(cls, category: str) -> str:
        category = (
            "bad-payment" if category == "bad_payment" else category
        )  # the doc's prose spells it so once
        if category == FORCE_RESET:
            raise ValueError("force-reset has its own endpoint: POST /v1/products/<imei>/force_reset")
        if category not in SIGN_RULES:
            raise ValueError(f"must be one of {', '.join(SIGN_RULES)}")
        return category


class ForceResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transaction_id: TransactionId


class DcmEnabled(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool


class IsPayg(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_payg: StrictBool


@router.post("/{imei}/add_payment_command", status_code=201, response_model=Done)
def add_payment_command(
    imei: Imei,
    body: NewPaymentCommand,
    session: SessionDep,
    user: AdminUser,
    scope: ScopeDep,
    temporal: TemporalDep,
) -> Done:
    """201 for a new command and for a repeat of the same one (same transaction_id, unit, category, value);
    a used transaction_id with anything else is 409; each broken rule of the doc is a 400."""
    commands.add_payment_command(session, scope, imei, body.category, body.value, body.transaction_id)
    hand_over(
        session, temporal, imei, f"payment command {body.transaction_id}"
    )  # a repeat re-signals: harmless
    return Done(message=f"new payment_command added to product #{imei}")


@router.post("/{imei}/force_reset", status_code=201, response_model=Envelope[ForceResetDone])
def force_reset(
    imei: Imei,
    body: ForceResetRequest,
    session: SessionDep,
    user: AdminUser,
    scope: ScopeDep,
    temporal: TemporalDep,
    clock: ClockDep,
) -> Envelope[ForceResetDone]:
    result = commands.force_reset(session, scope, imei, body.transaction_id, clock())
    hand_over(session, temporal, imei, f"force-reset {body.transaction_id}")
    return Envelope[ForceResetDone](
        message=f"Product #{imei} has been Force-Reset",
        data=ForceResetDone(
            outstanding_payments=result.outstanding_payments, last_known_balance=result.last_known_balance
        ),
    )


@router.get("/{imei}/balance_and_pending_payments", response_model=Envelope[BalanceAndPending])
def balance_and_pending_payments(
    imei: Imei, session: SessionDep, user: OverviewUser, scope: ScopeDep
) -> Envelope[BalanceAndPending]:
    data = commands.balance_and_pending(session, scope, imei)
    return Envelope[BalanceAndPending](message="Balance and pending credits.", data=data)


@router.put("/{imei}/set_dcm_enabled_flag", response_model=Done)
def set_dcm_enabled_flag(
    imei: Imei, body: DcmEnabled, session: SessionDep, user: TechnicalUser, scope: ScopeDep
) -> Done:
    flags.set_dcm_enabled(session, scope, imei, body.enabled)
    return Done(message=f"Product {imei}. DCM Enabled Flag set to {body.enabled}")


@router.put("/{imei}/set_is_payg", response_model=Done)
def set_is_payg(imei: Imei, body: IsPayg, session: SessionDep, user: TechnicalUser, scope: ScopeDep) -> Done:
    flags.set_is_payg(session, scope, imei, body.is_payg)
    return Done(message=f"is_payg for the Product {imei}, has been set to={body.is_payg}")
