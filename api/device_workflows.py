"""How the API starts and talks to the device workflows: signal-with-start, update-with-start, signals.

Every call names the workflow `device/<imei>`, so a unit has exactly one, whoever starts it first.
"""

from __future__ import annotations

import logging

from anyio import from_thread
from sqlalchemy.orm import Session
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from core.settings import Settings, get_settings
from db.models.product import Product
from domain.device import pending
from domain.device.models import (
    ChangeRequest,
    CreditPolicy,
    DeviceInput,
    SmsReceipt,
    SmsRecord,
    UnitConnection,
    WakeupPolicy,
    WakeupRequest,
)
from domain.errors import AppError
from domain.scope import unit_entity_id
from smartsolar.temporal import ENTITY_ID, PRODUCT_IMEI
from workflows.device import DeviceWorkflow

log = logging.getLogger(__name__)


def device_workflow_id(imei: str) -> str:
    return f"device/{imei}"


def _start_options(settings: Settings, imei: str, entity_id: int | None) -> dict:
    attributes = [SearchAttributePair(PRODUCT_IMEI, imei)]
    if entity_id is not None:
        attributes.append(SearchAttributePair(ENTITY_ID, entity_id))
    return {
        "id": device_workflow_id(imei),
        "task_queue": settings.task_queue,
        "search_attributes": TypedSearchAttributes(attributes),
        "static_summary": f"Unit {imei}: pending changes and wake-ups",
    }


def _input(settings: Settings, imei: str) -> DeviceInput:
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
    )


async def request_change(
    client: Client, settings: Settings, change: ChangeRequest, entity_id: int | None
) -> None:
    """Signal-with-start: the running workflow hears of the change, or one starts to carry it."""
    await client.start_workflow(
        DeviceWorkflow.run,
        _input(settings, change.imei),
        start_signal="change_requested",
        start_signal_args=[change],
        **_start_options(settings, change.imei, entity_id),
    )


async def report_connection(
    client: Client,
    settings: Settings,
    imei: str,
    connection: UnitConnection,
    pending: bool,
    entity_id: int | None,
) -> None:
    """Tell the unit's workflow what an RC-GET delivered. With something pending in the database, start the
    workflow if it is missing (it heals a change whose start was lost); otherwise a missing one is fine."""
    await _signal(client, settings, imei, "unit_connected", connection, start=pending, entity_id=entity_id)


async def pending_changed(
    client: Client, settings: Settings, imei: str, reason: str, still_pending: bool, entity_id: int | None
) -> None:
    """Something was written for the unit (payment command, software request, the unit's report): the
    workflow reloads it. Started when something is pending; otherwise only a running one needs to hear."""
    await _signal(client, settings, imei, "pending_changed", reason, start=still_pending, entity_id=entity_id)


async def _signal(
    client: Client, settings: Settings, imei: str, signal: str, arg, *, start: bool, entity_id: int | None
) -> None:
    if not start:
        await _signal_if_running(client, imei, signal, arg)
        return
    await client.start_workflow(
        DeviceWorkflow.run,
        _input(settings, imei),
        start_signal=signal,
        start_signal_args=[arg],
        **_start_options(settings, imei, entity_id),
    )


async def send_wakeup(
    client: Client, settings: Settings, imei: str, request: WakeupRequest, entity_id: int | None
) -> SmsRecord:
    """Update-with-start: the SMS is sent by the unit's workflow, which then watches it for its receipt."""
    operation = WithStartWorkflowOperation(
        DeviceWorkflow.run,
        _input(settings, imei),
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        **_start_options(settings, imei, entity_id),
    )
    return await client.execute_update_with_start_workflow(
        DeviceWorkflow.send_wakeup, request, start_workflow_operation=operation, result_type=SmsRecord
    )


async def forward_receipt(client: Client, imei: str, receipt: SmsReceipt) -> bool:
    return await _signal_if_running(client, imei, "sms_receipt", receipt)


async def cancel_pending(client: Client, imei: str, user: str) -> bool:
    return await _signal_if_running(client, imei, "cancel_pending", user)


async def _signal_if_running(client: Client, imei: str, signal: str, arg) -> bool:
    try:
        await client.get_workflow_handle(device_workflow_id(imei)).signal(signal, arg)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


class WorkflowUnavailable(AppError):
    status_code = 503


def hand_over(
    session: Session, client: Client, imei: str, reason: str, *, expect_running: bool = False
) -> None:
    """For sync routes that wrote something for a unit: commit it, then make the unit's workflow reload
    (starting one when something is pending). The write is kept if Temporal cannot be reached: the next
    RC-GET starts the workflow; the 503 tells the client that repeating the (idempotent) request helps.

    `expect_running` (a unit's report about what it was sent): signal first, and only when no workflow
    runs read what is pending, so the common case costs one signal and no queries."""
    try:
        if expect_running:
            session.commit()
            if from_thread.run(_signal_if_running, client, imei, "pending_changed", reason):
                return
        still_pending = not pending.load(session, session.get(Product, imei)).empty
        entity_id = unit_entity_id(session, imei) if still_pending else None
        session.commit()
        from_thread.run(pending_changed, client, get_settings(), imei, reason, still_pending, entity_id)
    except RPCError as err:
        raise WorkflowUnavailable(
            "Saved, but the workflow engine could not be reached; it is delivered at the unit's next connection, "
            f"and repeating this request is safe ({err.message})"
        ) from err
