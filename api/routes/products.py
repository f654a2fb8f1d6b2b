"""Product actions that become long-running work on the unit: enable/disable, the tamper switch,
wake-ups, and the operator's cancel. Each writes what must be written now, commits, then hands the rest
to the unit's DeviceWorkflow (clients/device.py), so the workflow always sees what was written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy.orm import Session
from temporalio.client import Client

from api.deps import AdminUser, ClockDep, ScopeDep, SessionDep, SystemUser, TechnicalUser
from api.rtc_link import PublisherDep, RtcUnavailable, send
from api.schemas.envelope import Acknowledged, Done
from api.schemas.products import SmsSent
from api.tables.serialize import serializer_for
from api.temporal import TemporalDep, client_for_app
from clients import device as device_workflows
from clients.temporal import commit_then
from contracts.device import SwitchKind, WakeupRequest
from core.settings import get_settings
from db.models.history import SmsHistory
from domain.device import pending, switches, wakeup
from domain.errors import Conflict
from domain.rtc.encoding import MtType
from domain.scope import UnitScope, unit_entity_id

router = APIRouter(prefix="/products", tags=["product actions"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]


@dataclass(frozen=True)
class SwitchCall:
    """What a switch route needs: a TECHNICAL user's unit of work, scope, clock and Temporal."""

    session: Session
    username: str
    scope: UnitScope
    temporal: Client
    clock: Callable[[], datetime]

    def switch(self, imei: str, kind: SwitchKind, target: bool) -> None:
        session = self.session
        change = switches.request_change(session, self.scope, imei, kind, target, self.username, self.clock())
        if change is None:
            return  # already so: the doc answers "success" anyway
        # Also when it was already pending: a retry after a lost start makes sure the workflow runs (once).
        change.wakeup = kind is SwitchKind.ENABLE and wakeup.wakeup_enabled(session, imei)
        entity_id = unit_entity_id(session, imei)
        commit_then(
            session, device_workflows.request_change, self.temporal, get_settings(), change, entity_id
        )


async def switch_call(
    session: SessionDep, user: TechnicalUser, scope: ScopeDep, temporal: TemporalDep, clock: ClockDep
) -> SwitchCall:
    return SwitchCall(session, user.username, scope, temporal, clock)


SwitchDep = Annotated[SwitchCall, Depends(switch_call)]


@router.put("/{imei}/enable", response_model=Done)
def enable(imei: Imei, call: SwitchDep) -> Done:
    call.switch(imei, SwitchKind.ENABLE, True)
    return Done(message="Product enabled")


@router.put("/{imei}/disable", response_model=Done)
def disable(imei: Imei, call: SwitchDep) -> Done:
    call.switch(imei, SwitchKind.ENABLE, False)
    return Done(message="Product disabled")


@router.put("/{imei}/enable_tamper_switch", response_model=Done)
def enable_tamper_switch(imei: Imei, call: SwitchDep) -> Done:
    call.switch(imei, SwitchKind.TAMPER, True)
    return Done(message=f"Product #{imei} tamper_switch_enabled")


@router.put("/{imei}/disable_tamper_switch", response_model=Done)
def disable_tamper_switch(imei: Imei, call: SwitchDep) -> Done:
    call.switch(imei, SwitchKind.TAMPER, False)
    return Done(message=f"Product #{imei} tamper_switch_disabled")


def _wake(session, scope, temporal, imei: str, username: str) -> dict:
    scope.ensure_visible(session, imei)
    switches.lock_product(session, imei)  # 404 for an unknown unit, before anything is sent
    entity_id = unit_entity_id(session, imei)
    request = WakeupRequest(user=username)
    settings = get_settings()
    sms = commit_then(
        session, device_workflows.send_wakeup, temporal, settings, imei, request, entity_id, saved=False
    )
    return _sms_row(session, sms.sms_history_id)


def _sms_row(session, sms_history_id: int) -> dict:
    return serializer_for(SmsHistory).from_object(session.get(SmsHistory, sms_history_id))


@router.post("/{imei}/send_wakeup", response_model=SmsSent)
def send_wakeup(
    imei: Imei, session: SessionDep, user: AdminUser, scope: ScopeDep, temporal: TemporalDep
) -> SmsSent:
    return SmsSent(message="sms successfully sent", data=_wake(session, scope, temporal, imei, user.username))


@router.post("/{imei}/force_connection", response_model=Acknowledged)
def force_connection(
    imei: Imei,
    session: SessionDep,
    user: AdminUser,
    scope: ScopeDep,
    publisher: PublisherDep,
    request: Request,
) -> Acknowledged:
    """The doc: an RTC-enabled unit gets a sync; others (and an RTC unit RTC cannot reach now) a WAKEUP."""
    scope.ensure_visible(session, imei)
    product = switches.lock_product(session, imei)
    if product.rtc_enabled_flag:
        try:
            send(session, publisher, product, MtType.SYNC)
            return Acknowledged(message="Force connection request sent")
        except (RtcUnavailable, Conflict):
            session.rollback()  # no broker or no link: the SMS still reaches it
    # Temporal only on this path: an RTC sync does not need it (WorkflowUnavailable: 503 in time).
    temporal = from_thread.run(client_for_app, request.app)
    _wake(session, scope, temporal, imei, user.username)
    return Acknowledged(message="Force connection request sent")


@router.post("/{imei}/cancel_pending_changes", response_model=Done)
def cancel_pending_changes(
    imei: Imei, session: SessionDep, user: SystemUser, scope: ScopeDep, temporal: TemporalDep, clock: ClockDep
) -> Done:
    """Operator: give up on what is pending; history records it, desired flags return to the real ones,
    pending software updates expire. One code path whether a workflow runs or not: the cancel is written
    here, then the unit's workflow (if any) reloads and ends when nothing is left."""
    scope.ensure_visible(session, imei)
    left = pending.cancel(session, imei, user.username, clock())
    entity_id = unit_entity_id(session, imei) if not left.empty else None
    settings = get_settings()
    reason = "pending changes cancelled"
    commit_then(
        session, device_workflows.pending_changed, temporal, settings, imei, reason, not left.empty, entity_id
    )
    return Done(message="Pending changes cancelled")
