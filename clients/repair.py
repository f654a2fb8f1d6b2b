"""The API's calls to RepairWorkflow (`repair/<repair_id>`) and how their failures become 4xx (or 503).

A refused Update (validator or business refusal) carries msgids; they are translated here, in the
caller's language, into the doc's envelope.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError

from clients.temporal import (
    WorkflowUnavailable,
    forget_start_failure,
    is_not_found,
    rpc_timeout,
    unavailable,
)
from contracts.repair import FAILED, REJECTED, RepairWorkflowInput, repair_workflow_id
from contracts.search import search_attributes
from core.settings import get_settings
from domain.errors import AppError, BadRequest, Conflict, NotFound, ValidationFailed
from domain.repairs.repairs import OpenRepair
from repair_flows.i18n import N_, Message
from repair_flows.records import Receipt, StateRef, StateView, Submission, UndoRequest
from workflows.repair import RepairWorkflow

T = TypeVar("T")
FINISHED = N_("This repair is finished.")
# How long a request waits for the workflow; a step still in flight then completes on its own.
RPC_TIMEOUT = timedelta(seconds=30)


class Translator(Protocol):
    """The caller's language (the API's `api.i18n.Translator`)."""

    def gettext(self, msgid: str) -> str: ...

    def render(self, message: Message | dict[str, Any]) -> str: ...


def workflow_id(repair_id: int) -> str:
    return repair_workflow_id(repair_id)


async def ensure_started(client: Client, task_queue: str, repair: OpenRepair) -> StateView:
    """The repair's workflow, started if it is not there yet; answers once its first screen is ready.

    A repair found in the database is usually running: a query confirms it without adding to its
    history (apps call get_repair often). Only a new repair, or one whose start was lost (the API
    died between its commit and the start), goes through Update-with-Start.
    """
    if not repair.created:
        try:
            return await current_state(client, repair.repair_id)
        except NotFound:
            pass
    return await _start(client, task_queue, repair)


async def _start(client: Client, task_queue: str, repair: OpenRepair) -> StateView:
    operation = WithStartWorkflowOperation(
        RepairWorkflow.run,
        RepairWorkflowInput(
            repair_id=repair.repair_id,
            flow_name=repair.flow.name,
            product_imei=repair.product_imei,
            config=repair.config,
        ),
        id=workflow_id(repair.repair_id),
        task_queue=task_queue,
        # get_repair twice (or a retry) attaches to the running workflow instead of failing.
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=search_attributes(
            imei=repair.product_imei, entity_id=repair.entity_id, repair_id=repair.repair_id
        ),
        static_summary=f"Repair {repair.repair_id} of unit {repair.product_imei}: {repair.flow.title}",
    )
    try:
        return await _call(
            client.execute_update_with_start_workflow(
                RepairWorkflow.ready, start_workflow_operation=operation, rpc_timeout=RPC_TIMEOUT
            ),
            repair.repair_id,
        )
    finally:
        forget_start_failure(operation)


async def current_state(client: Client, repair_id: int) -> StateView:
    handle = client.get_workflow_handle(workflow_id(repair_id))
    call = handle.query(RepairWorkflow.current_state, rpc_timeout=rpc_timeout(get_settings()))
    return await _call(call, repair_id)


async def history(client: Client, repair_id: int) -> list[StateRef]:
    handle = client.get_workflow_handle(workflow_id(repair_id))
    return await _call(
        handle.query(RepairWorkflow.history, rpc_timeout=rpc_timeout(get_settings())), repair_id
    )


def update_id(repair_id: int, kind: str, request_key: str | None) -> str | None:
    """The Update id: Temporal applies an id once per run, so a client's Idempotency-Key makes retries safe.

    Without a key, Temporal picks a fresh id, and the workflow's own rule catches retries (a submission
    identical to the last one applied while its result is still current; see FlowRunner.duplicate_of).
    """
    if request_key is None:
        return None
    digest = hashlib.sha256(json.dumps([repair_id, kind, request_key]).encode()).hexdigest()
    return f"repair/{repair_id}/{kind}/{digest[:32]}"


async def submit(client: Client, repair_id: int, submission: Submission, tr: Translator) -> Receipt:
    handle = client.get_workflow_handle(workflow_id(repair_id))
    update = RepairWorkflow.send_inputs if submission.kind == "inputs" else RepairWorkflow.send_events
    key = update_id(repair_id, submission.kind, submission.request_key)
    call = handle.execute_update(update, submission, id=key, rpc_timeout=RPC_TIMEOUT)
    return await _call(call, repair_id, tr)


async def undo(
    client: Client, repair_id: int, request: UndoRequest, request_key: str | None, tr: Translator
) -> Receipt:
    handle = client.get_workflow_handle(workflow_id(repair_id))
    key = update_id(repair_id, "undo", request_key)
    call = handle.execute_update(RepairWorkflow.undo, request, id=key, rpc_timeout=RPC_TIMEOUT)
    return await _call(call, repair_id, tr)


async def _call(call: Awaitable[T], repair_id: int, tr: Translator | None = None) -> T:
    try:
        return await call
    except WorkflowUpdateFailedError as err:
        raise _refusal(err.cause, tr) from err
    except WorkflowAlreadyStartedError as err:
        # Only when the database's ids were reset under a Temporal that remembers the old repair.
        raise Conflict(
            f"Workflow repair/{repair_id} exists already and is closed: repair ids were reused"
        ) from err
    except WorkflowUpdateRPCTimeoutOrCancelledError as err:
        raise WorkflowUnavailable(
            f"Repair {repair_id} did not answer in time; if this was a submission it may still be applied: "
            "check current_state before sending it again (or retry with the same Idempotency-Key)"
        ) from err
    except WorkflowQueryFailedError as err:
        raise BadRequest(f"Repair {repair_id} could not be read: {err.message}") from err
    except RPCError as err:
        if is_not_found(err):
            # An Update to a workflow that has completed: the repair reached its outcome.
            if "completed" in err.message.lower() or "finished" in err.message.lower():
                raise BadRequest(tr.gettext(FINISHED) if tr else FINISHED) from err
            raise NotFound(f"Repair {repair_id} not found") from err
        raise unavailable(err) from err
    except TimeoutError as err:
        raise unavailable(err) from err


def _refusal(cause: BaseException | None, tr: Translator | None) -> AppError:
    if not isinstance(cause, ApplicationError):
        return BadRequest(str(cause) if cause else "The repair refused this request")
    details: dict[str, Any] = cause.details[0] if cause.details and isinstance(cause.details[0], dict) else {}
    if cause.type == FAILED:
        return AppError(
            f"Internal Server Error -- the step could not be saved ({cause.message})", status_code=500
        )
    if cause.type != REJECTED or tr is None or "message" not in details:
        return BadRequest(cause.message)
    message = tr.render(details["message"])
    errors = {ident: tr.render(m) for ident, m in details.get("validation_errors", {}).items()}
    if errors:
        return ValidationFailed(message, validation_errors=errors, data=errors)
    return BadRequest(message)
