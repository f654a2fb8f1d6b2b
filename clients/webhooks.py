"""Turns committed webhook deliveries into `WebhookDeliveryWorkflow` runs, and cancels them on unsubscribe.

Starting is idempotent: the workflow id is `webhook/<delivery uuid>/<run>` with REJECT_DUPLICATE, so
the API's kick, the worker's kick and the sweeper may all start the same run; exactly one runs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from contracts.search import search_attributes
from contracts.webhooks import SWEEPER_ID, DeliveryInput, RetryConfig, SweepInput
from core.clock import utcnow
from core.settings import Settings, get_settings
from db.session import session_scope
from domain.webhooks import delivery_log
from domain.webhooks.kicks import DeliveryRef, Dispatcher, set_dispatcher
from workflows.webhooks import WebhookDeliveryWorkflow, WebhookOutboxSweeper

log = logging.getLogger(__name__)

ACTOR = "system:webhooks"


async def start_deliveries(client: Client, refs: list[DeliveryRef], settings: Settings) -> int:
    """Start a workflow per delivery run (already started counts as started), then note them dispatched."""
    retry = RetryConfig.from_settings(settings)
    started: list[DeliveryRef] = []
    try:
        for ref in refs:
            try:
                await client.start_workflow(
                    WebhookDeliveryWorkflow.run,
                    DeliveryInput(
                        delivery_uuid=ref.delivery_uuid,
                        run_number=ref.run_number,
                        channel=ref.channel,
                        host=ref.host,
                        retry=retry,
                    ),
                    id=ref.workflow_id,
                    task_queue=settings.task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                    search_attributes=search_attributes(imei=ref.product_imei, entity_id=ref.entity_id),
                    static_summary=f"Webhook {ref.channel} to {ref.host} (delivery {ref.delivery_uuid})",
                )
            except WorkflowAlreadyStartedError:
                pass
            started.append(ref)
    finally:
        if started:
            await asyncio.to_thread(_mark_dispatched, started)
    return len(started)


async def cancel_deliveries(client: Client, refs: list[DeliveryRef]) -> None:
    """Stop the retries of deliveries whose subscription is gone (already finished ones are left alone)."""
    for ref in refs:
        handle: WorkflowHandle = client.get_workflow_handle(ref.workflow_id)
        try:
            await handle.cancel()
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                raise


async def dispatch_undispatched(client: Client, *, batch: int) -> int:
    """The sweep: start every pending delivery nobody started (e.g. the process died right after commit)."""
    settings = get_settings()
    total = 0
    while refs := await asyncio.to_thread(_undispatched, batch):
        total += await start_deliveries(client, refs, settings)
        if len(refs) < batch:
            break
    return total


class WebhookDispatcher:
    """This process's dispatcher: kicks arrive from any thread after commit and run on `loop`."""

    def __init__(self, client: Callable[[], Awaitable[Client]], loop: asyncio.AbstractEventLoop) -> None:
        self._client = client
        self._loop = loop
        self._running: set[concurrent.futures.Future] = set()

    def start_soon(self, refs: list[DeliveryRef]) -> None:
        self._submit(self._start(refs))

    def cancel_soon(self, refs: list[DeliveryRef]) -> None:
        self._submit(self._cancel(refs))

    def _submit(self, coro: Coroutine[Any, Any, None]) -> None:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        self._running.add(future)  # keep a reference until done, or the task may be collected mid-flight
        future.add_done_callback(self._running.discard)

    async def _start(self, refs: list[DeliveryRef]) -> None:
        try:
            await start_deliveries(await self._client(), refs, get_settings())
        except Exception:  # noqa: BLE001 - the deliveries stay in the outbox for the sweeper
            log.warning("could not start %d webhook deliveries; the sweeper will", len(refs), exc_info=True)

    async def _cancel(self, refs: list[DeliveryRef]) -> None:
        try:
            await cancel_deliveries(await self._client(), refs)
        except Exception:  # noqa: BLE001 - each attempt re-reads the delivery and stops once it is cancelled
            log.warning("could not cancel %d webhook deliveries now", len(refs), exc_info=True)


def install_dispatcher(
    client: Client | Callable[[], Awaitable[Client]], loop: asyncio.AbstractEventLoop
) -> Dispatcher | None:
    """Make this process kick deliveries right after commit; returns the dispatcher it replaced.

    `client` may be a function that connects lazily (the API's), so startup never waits for Temporal.
    """
    if isinstance(client, Client):
        connected = client

        async def provide() -> Client:
            return connected

        return set_dispatcher(WebhookDispatcher(provide, loop))
    return set_dispatcher(WebhookDispatcher(client, loop))


def _undispatched(batch: int) -> list[DeliveryRef]:
    with session_scope(ACTOR) as session:
        return delivery_log.undispatched(session, batch)


def _mark_dispatched(refs: list[DeliveryRef]) -> None:
    with session_scope(ACTOR) as session:
        delivery_log.mark_dispatched(session, refs, utcnow())


# The schedule that started a short sweep every minute (each one a closed workflow in the operator's list).
OLD_SWEEP_SCHEDULE_ID = "webhooks/sweep-outbox"


async def ensure_sweeper(client: Client, task_queue: str, every_seconds: float) -> None:
    """The one long-lived outbox sweeper; started once, whichever worker comes first."""
    try:
        await client.get_schedule_handle(OLD_SWEEP_SCHEDULE_ID).delete()
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
    await client.start_workflow(
        WebhookOutboxSweeper.run,
        SweepInput(every_seconds=every_seconds),
        id=SWEEPER_ID,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        static_summary="Starts webhook deliveries committed but never started (after a crash)",
    )
