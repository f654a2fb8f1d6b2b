"""How the API starts and talks to the device workflows: signal-with-start, update-with-start, signals,
queries, through typed references to DeviceWorkflow's handlers.

Every call names the workflow `device/<imei>`, so a unit has exactly one, whoever starts it first. A
Temporal outage becomes `WorkflowUnavailable` (503) here, within `temporal_unavailable_seconds`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from clients.temporal import (
    commit_then,
    forget_start_failure,
    is_not_found,
    outage_is_503,
    rpc_timeout,
    signal_name,
)
from contracts.device import (
    ChangeRequest,
    CreditPolicy,
    DeviceInput,
    DeviceStatus,
    SmsReceipt,
    SmsRecord,
    UnitConnection,
    WakeupPolicy,
    WakeupRequest,
    device_workflow_id,
)
from contracts.device_rtc import RtcReply
from contracts.search import search_attributes
from core.settings import Settings, get_settings
from db.models.product import Product
from domain.device import pending
from domain.scope import unit_entity_id
from workflows.device import DeviceWorkflow


def device_input(settings: Settings, imei: str) -> DeviceInput:
    return DeviceInput(
        imei=imei,
        policy=WakeupPolicy(
            sms_timeout_seconds=settings.wakeup_sms_timeout_seconds,
            max_retries=settings.wakeup_max_retries,
            retry_backoff_seconds=settings.wakeup_retry_backoff_seconds,
            backoff_coefficient=settings.wakeup_backoff_coefficient,
        ),
        credit=CreditPolicy(
            sms_after_seconds=settings.dcm_sms_fallback_seconds,
            sms_max_rounds=settings.dcm_sms_max_rounds,
            sms_timeout_seconds=settings.wakeup_sms_timeout_seconds,
        ),
        max_history_events=settings.device_max_history_events,
        rtc_reply_timeout_seconds=settings.rtc_reply_timeout_seconds,
    )


def _start_options(settings: Settings, imei: str, entity_id: int | None) -> dict[str, Any]:
    return {
        "id": device_workflow_id(imei),
        "task_queue": settings.task_queue,
        "search_attributes": search_attributes(imei=imei, entity_id=entity_id),
        "static_summary": f"Unit {imei}: pending changes and wake-ups",
    }


def handle(client: Client, imei: str) -> WorkflowHandle[DeviceWorkflow, None]:
    return client.get_workflow_handle_for(DeviceWorkflow.run, device_workflow_id(imei))


async def request_change(
    client: Client, settings: Settings, change: ChangeRequest, entity_id: int | None
) -> None:
    """Signal-with-start: the running workflow hears of the change, or one starts to carry it."""
    async with outage_is_503():
        await client.start_workflow(
            DeviceWorkflow.run,
            device_input(settings, change.imei),
            start_signal=signal_name(DeviceWorkflow.change_requested),
            start_signal_args=[change],
            rpc_timeout=rpc_timeout(settings),
            **_start_options(settings, change.imei, entity_id),
        )


async def report_connection(
    client: Client,
    settings: Settings,
    imei: str,
    connection: UnitConnection,
    is_pending: bool,
    entity_id: int | None,
) -> None:
    """Tell the unit's workflow what an RC-GET delivered. With something pending in the database, start the
    workflow if it is missing (it heals a change whose start was lost); otherwise a missing one is fine.

    A workflow still running while nothing is pending in the database may have missed what settled it (an
    RC-POST whose report could not reach Temporal during an outage): it is told to reload, so it ends."""
    async with outage_is_503():
        if not is_pending:
            if await _signal_if_running(client, settings, imei, DeviceWorkflow.unit_connected, connection):
                await _signal_if_running(
                    client, settings, imei, DeviceWorkflow.pending_changed, "nothing pending at RC-GET"
                )
            return
        await client.start_workflow(
            DeviceWorkflow.run,
            device_input(settings, imei),
            start_signal=signal_name(DeviceWorkflow.unit_connected),
            start_signal_args=[connection],
            rpc_timeout=rpc_timeout(settings),
            **_start_options(settings, imei, entity_id),
        )


async def pending_changed(
    client: Client, settings: Settings, imei: str, reason: str, still_pending: bool, entity_id: int | None
) -> bool:
    """Something was written for the unit (payment command, software request, the unit's report, a cancel):
    the workflow reloads it. Started when something is pending; otherwise only a running one needs to hear.
    Returns whether a workflow heard it."""
    async with outage_is_503():
        if not still_pending:
            return await _signal_if_running(client, settings, imei, DeviceWorkflow.pending_changed, reason)
        await client.start_workflow(
            DeviceWorkflow.run,
            device_input(settings, imei),
            start_signal=signal_name(DeviceWorkflow.pending_changed),
            start_signal_args=[reason],
            rpc_timeout=rpc_timeout(settings),
            **_start_options(settings, imei, entity_id),
        )
        return True


async def send_wakeup(
    client: Client, settings: Settings, imei: str, request: WakeupRequest, entity_id: int | None
) -> SmsRecord:
    """Update-with-start: the SMS is sent by the unit's workflow, which then watches it for its receipt."""
    operation = WithStartWorkflowOperation(
        DeviceWorkflow.run,
        device_input(settings, imei),
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        **_start_options(settings, imei, entity_id),
    )
    try:
        async with outage_is_503():
            return await client.execute_update_with_start_workflow(
                DeviceWorkflow.send_wakeup, request, start_workflow_operation=operation
            )
    finally:
        forget_start_failure(operation)


async def forward_receipt(client: Client, imei: str, receipt: SmsReceipt) -> bool:
    """Returns whether a workflow was there to hear it."""
    async with outage_is_503():
        return await _signal_if_running(client, get_settings(), imei, DeviceWorkflow.sms_receipt, receipt)


async def rtc_replied(client: Client, settings: Settings, imei: str, reply: RtcReply) -> bool:
    """The RTC consumer: the unit answered a pushed message (what it delivered is settled already). Only a
    running workflow needs to hear; returns whether one did."""
    async with outage_is_503():
        return await _signal_if_running(client, settings, imei, DeviceWorkflow.rtc_replied, reply)


async def unit_changed(client: Client, settings: Settings, imei: str, reason: str) -> bool:
    """The RTC consumer: a unit's message settled something or brought it online; a running workflow reloads."""
    async with outage_is_503():
        return await _signal_if_running(client, settings, imei, DeviceWorkflow.pending_changed, reason)


async def status(client: Client, imei: str) -> DeviceStatus:
    async with outage_is_503():
        return await handle(client, imei).query(
            DeviceWorkflow.status, rpc_timeout=rpc_timeout(get_settings())
        )


async def _signal_if_running(client: Client, settings: Settings, imei: str, signal, arg) -> bool:
    try:
        await handle(client, imei).signal(signal, arg, rpc_timeout=rpc_timeout(settings))
    except RPCError as err:
        if is_not_found(err):
            return False
        raise
    return True


def hand_over(
    session: Session, client: Client, imei: str, reason: str, *, expect_running: bool = False
) -> None:
    """For sync routes that wrote something for a unit: commit it, then make the unit's workflow reload
    (starting one when something is pending). The write is kept if Temporal cannot be reached: the next
    RC-GET starts the workflow; the 503 tells the client that repeating the (idempotent) request helps.

    `expect_running` (a unit's report about what it was sent): signal first, and only when no workflow
    runs read what is pending, so the common case costs one signal and no queries."""
    settings = get_settings()
    if expect_running and commit_then(session, pending_changed, client, settings, imei, reason, False, None):
        return
    still_pending = not pending.load(session, session.get(Product, imei)).empty
    entity_id = unit_entity_id(session, imei) if still_pending else None
    commit_then(session, pending_changed, client, settings, imei, reason, still_pending, entity_id)
