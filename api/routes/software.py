"""The doc's software endpoints (SYSTEM): update_software, lock_software, expire_software_updates.

A requested update is a pending product_software_linker row (domain/device/software.py) that the unit's
DeviceWorkflow follows: every RC-GET offers it, and the RC-POST reporting the new version completes it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from api.deps import ClockDep, ScopeDep, SessionDep, SystemUser
from api.schemas.envelope import Done, Envelope
from api.schemas.products import SoftwareLock
from api.temporal import TemporalDep
from clients.device import hand_over
from domain.device import software

router = APIRouter(prefix="/products", tags=["software"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]
SoftwareRef = StrictInt | Annotated[str, Field(min_length=1, max_length=255)]


class SoftwareRequest(BaseModel):
    """`{"software": <software_version_type_id> or <name>}`."""

    model_config = ConfigDict(extra="forbid")

    software: SoftwareRef


class LockRequest(BaseModel):
    """Like SoftwareRequest; `null` (or a blank payload) removes the lock."""

    model_config = ConfigDict(extra="forbid")

    software: SoftwareRef | None = None


@router.put("/{imei}/update_software", response_model=Done)
def update_software(
    imei: Imei,
    body: SoftwareRequest,
    session: SessionDep,
    user: SystemUser,
    scope: ScopeDep,
    temporal: TemporalDep,
    clock: ClockDep,
) -> Done:
    request = software.request_update(session, scope, imei, body.software, clock())
    hand_over(session, temporal, imei, f"software update to {request.software.name}")
    return Done(message=f"#{imei} updated to software_version {request.software.name}")


@router.put("/{imei}/lock_software", response_model=Envelope[SoftwareLock])
def lock_software(
    imei: Imei,
    session: SessionDep,
    user: SystemUser,
    scope: ScopeDep,
    temporal: TemporalDep,
    clock: ClockDep,
    body: Annotated[LockRequest | None, Body()] = None,
) -> Envelope[SoftwareLock]:
    request = software.lock(session, scope, imei, body.software if body else None, clock())
    if request is None:
        return Envelope[SoftwareLock](
            message=f"#{imei} software_lock is now removed",
            data=SoftwareLock(software_lock_id=None, software_lock_name=None),
        )
    hand_over(session, temporal, imei, f"software locked to {request.software.name}")
    return Envelope[SoftwareLock](
        message=f"#{imei} updated and locked to software_version {request.software.name}",
        data=SoftwareLock(
            software_lock_id=request.software.software_version_type_id,
            software_lock_name=request.software.name,
        ),
    )


@router.put("/{imei}/expire_software_updates", response_model=Done)
def expire_software_updates(
    imei: Imei, session: SessionDep, user: SystemUser, scope: ScopeDep, temporal: TemporalDep, clock: ClockDep
) -> Done:
    expired = software.expire_updates(session, scope, imei, clock())
    if not expired:
        return Done(message=f"Product {imei} had no pending updates to expire")
    hand_over(session, temporal, imei, "software updates expired")
    return Done(message=f"Product {imei} had {expired} software update(s) expired")
