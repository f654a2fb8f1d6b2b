"""Webhook workflows: one durable, retried delivery per event and subscriber, and the outbox sweeper.

`WebhookDeliveryWorkflow` (`webhook/<delivery uuid>/<run>`) runs one activity that POSTs once per
attempt; Temporal retries it with exponential backoff until a 2xx or until `max_age` (3 days) has
passed, then the delivery is marked failed. Unsubscribing cancels the workflow; the activity also
re-reads the delivery before each attempt, so a lost cancel still stops the retries.

`WebhookOutboxSweeper` is one long-lived workflow (continued as new every few hundred rounds) that
starts deliveries committed but never started (the process died right after its commit): one entry in
the operator's list, instead of a closed workflow every minute.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception
from temporalio.workflow import ActivityCancellationType

with workflow.unsafe.imports_passed_through():
    from contracts.webhooks import DeliveryInput, FailedDelivery, SendRequest, SweepInput, WebhookActivity

from workflows.rounds import run_rounds

# Time for the database reads and writes around the POST itself.
ATTEMPT_OVERHEAD = timedelta(seconds=30)
BOOKKEEPING_TIMEOUT = timedelta(minutes=1)


@workflow.defn
class WebhookDeliveryWorkflow:
    """Delivers one event to one subscriber, retrying until it is accepted, cancelled or too old."""

    @workflow.run
    async def run(self, input: DeliveryInput) -> str:
        retry = input.retry
        workflow.set_current_details(
            f"POSTing {input.channel} to {input.host}; non-2xx answers and timeouts are retried with backoff "
            f"for up to {retry.max_age}. Attempts: GET /v1/webhook_deliveries?status=pending"
        )
        try:
            outcome = await workflow.execute_activity(
                WebhookActivity.SEND,
                SendRequest(
                    delivery_uuid=input.delivery_uuid,
                    run_number=input.run_number,
                    timeout_seconds=retry.timeout_seconds,
                ),
                result_type=str,
                start_to_close_timeout=timedelta(seconds=retry.timeout_seconds) + ATTEMPT_OVERHEAD,
                schedule_to_close_timeout=retry.max_age,
                # On cancel (unsubscribe), let an attempt in flight end: once closed, no POST follows.
                cancellation_type=ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
                retry_policy=RetryPolicy(
                    initial_interval=timedelta(seconds=retry.initial_seconds),
                    backoff_coefficient=retry.backoff_coefficient,
                    maximum_interval=timedelta(seconds=retry.max_interval_seconds),
                ),
            )
        except ActivityError as err:
            if is_cancelled_exception(err):
                raise
            reason = str(err.cause) if err.cause else str(err)
            status = await workflow.execute_activity(
                WebhookActivity.MARK_FAILED,
                FailedDelivery(delivery_uuid=input.delivery_uuid, run_number=input.run_number, reason=reason),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            )
            if status == "cancelled":  # unsubscribed while the last attempt was in flight
                workflow.set_current_details(f"{input.channel} to {input.host}: cancelled")
                return "cancelled"
            workflow.set_current_details(f"Gave up on {input.channel} to {input.host}: {reason}")
            # The activity's error is already in the history; the workflow's failure carries no cause.
            raise ApplicationError(  # noqa: B904
                f"Webhook not delivered after {retry.max_age}: {reason}", non_retryable=True
            )
        workflow.set_current_details(f"{input.channel} to {input.host}: {outcome}")
        return outcome


@workflow.defn
class WebhookOutboxSweeper:
    """Every `every_seconds`, starts the deliveries a crash left in the outbox (committed, never started)."""

    def __init__(self) -> None:
        self._started = 0

    @workflow.run
    async def run(self, input: SweepInput) -> None:
        async def dispatch_undispatched() -> str:
            self._started += await workflow.execute_activity(
                WebhookActivity.DISPATCH_UNDISPATCHED,
                result_type=int,
                start_to_close_timeout=timedelta(minutes=5),
            )
            return (
                f"Starts webhook deliveries left in the outbox every {input.every_seconds:g} s; "
                f"{self._started} started by this run"
            )

        await run_rounds(input, dispatch_undispatched)

    @workflow.query
    def started(self) -> int:
        """How many deliveries this run has started (the test's and the operator's view)."""
        return self._started
