"""RepairWorkflow (`repair/<repair_id>`): drives one repair through its flow, step by step.

Inputs and events arrive as Updates whose validators refuse bad submissions before they touch the
history; queries answer the current state and the path so far; every database effect (and its undo)
is the `repair.apply_step` activity. The decisions themselves live in `repair_flows.runner`.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from contracts.repair import FAILED, REFUSED, REJECTED, RepairActivity, RepairWorkflowInput
    from domain.repairs.steps import OptionsRequest, StepCommand
    from repair_flows import get_flow
    from repair_flows.i18n import Message
    from repair_flows.records import (
        Receipt,
        RepairRun,
        StateRef,
        StateView,
        StepOutcome,
        StepPlan,
        Submission,
        UndoRequest,
    )
    from repair_flows.runner import FlowRunner, Rejected
    from repair_flows.spec import Option
    from workflows.search_attributes import set_entity_id

# A database that is down is retried until it is back (the step then applies once: the activity is
# idempotent); business refusals and bugs are non-retryable and fail the Update at once.
STEP_ACTIVITY = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(seconds=10)),
}


def rejection(rejected: Rejected) -> ApplicationError:
    """The ApplicationError an Update fails with; the API turns it into a localized 400."""
    details = {
        "message": rejected.message.model_dump(mode="json"),
        "validation_errors": {k: m.model_dump(mode="json") for k, m in rejected.errors.items()},
    }
    return ApplicationError(rejected.message.render(), details, type=REJECTED, non_retryable=True)


@workflow.defn
class RepairWorkflow:
    """One repair: where it is in its flow, how it got there, and the undo stack."""

    @workflow.init
    def __init__(self, params: RepairWorkflowInput) -> None:
        flow = get_flow(params.flow_name)
        if flow is None:
            raise ApplicationError(f"unknown repair flow {params.flow_name}", non_retryable=True)
        run = params.resume or RepairRun(
            repair_id=params.repair_id,
            flow_name=flow.name,
            product_imei=params.product_imei,
            config=params.config,
            state=flow.initial,
        )
        self._runner = FlowRunner(flow, run)
        # Steps are applied one at a time, in the order their Updates were accepted.
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, params: RepairWorkflowInput) -> str:
        run = self._runner.run
        if not run.ready:
            request = OptionsRequest(repair_id=run.repair_id, flow_name=run.flow_name, state=run.state)
            run.options = await workflow.execute_activity(
                RepairActivity.LOAD_OPTIONS, request, result_type=dict[str, list[Option]], **STEP_ACTIVITY
            )
            run.ready = True
        self._describe()
        await workflow.wait_condition(
            lambda: self._runner.finished or workflow.info().is_continue_as_new_suggested()
        )
        # Never leave (or continue-as-new) with a step half-way through its handler.
        await workflow.wait_condition(workflow.all_handlers_finished)
        if not self._runner.finished:
            workflow.continue_as_new(params.model_copy(update={"resume": self._runner.run}))
        return self._runner.run.state

    # --- signals -------------------------------------------------------------------------------

    @workflow.signal
    def entity_changed(self, entity_id: int | None) -> None:
        """The repaired unit changed entity (assign/change/remove_entity)."""
        set_entity_id(entity_id)

    # --- queries -------------------------------------------------------------------------------

    @workflow.query
    def current_state(self) -> StateView:
        return self._runner.view()

    @workflow.query
    def history(self) -> list[StateRef]:
        return self._runner.history()

    # --- updates -------------------------------------------------------------------------------

    @workflow.update
    async def ready(self) -> StateView:
        """Answers once the first state's options are loaded (get_repair waits for it)."""
        await workflow.wait_condition(lambda: self._runner.run.ready)
        return self._runner.view()

    @workflow.update
    async def send_inputs(self, submission: Submission) -> Receipt:
        return await self._submit(submission)

    @send_inputs.validator
    def validate_inputs(self, submission: Submission) -> None:
        self._validate(submission, "inputs")

    @workflow.update
    async def send_events(self, submission: Submission) -> Receipt:
        return await self._submit(submission)

    @send_events.validator
    def validate_events(self, submission: Submission) -> None:
        self._validate(submission, "event")

    @workflow.update
    async def undo(self, request: UndoRequest) -> Receipt:
        async with self._lock:
            if self._runner.undo_repeats(request):
                return Receipt(state=self._runner.run.state, duplicate=True)
            plan = self._plan(lambda: self._runner.plan_undo(request))
            outcome = await self._apply(plan, request.actor)
            self._runner.record_undo(plan, outcome)
            self._describe()
            return Receipt(state=self._runner.run.state)

    @undo.validator
    def validate_undo(self, request: UndoRequest) -> None:
        if not self._runner.undo_repeats(request):
            self._plan(lambda: self._runner.plan_undo(request))

    # --- internals -----------------------------------------------------------------------------

    def _validate(self, submission: Submission, kind: str) -> None:
        if submission.kind != kind:
            raise ApplicationError(f"{kind} expected, got {submission.kind}", type=REJECTED)
        if self._runner.duplicate_of(submission) is None:
            self._plan(lambda: self._runner.plan(submission))

    @staticmethod
    def _plan(make_plan) -> StepPlan:
        try:
            return make_plan()
        except Rejected as rejected:
            raise rejection(rejected) from None

    async def _submit(self, submission: Submission) -> Receipt:
        async with self._lock:
            # Checked again under the lock: the state may have moved since the validator ran.
            if self._runner.duplicate_of(submission) is not None:
                return Receipt(state=self._runner.run.state, duplicate=True)
            plan = self._plan(lambda: self._runner.plan(submission))
            outcome = await self._apply(plan, submission.actor)
            self._runner.record(plan, outcome, submission.request_key)
            self._describe()
            return Receipt(state=self._runner.run.state)

    async def _apply(self, plan: StepPlan, actor: str) -> StepOutcome:
        run = self._runner.run
        command = StepCommand(repair_id=run.repair_id, flow_name=run.flow_name, actor=actor, plan=plan)
        try:
            return await workflow.execute_activity(
                RepairActivity.APPLY_STEP, command, result_type=StepOutcome, **STEP_ACTIVITY
            )
        except ActivityError as err:
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.type == REFUSED:
                # The database said no (a serial fitted elsewhere, rows changed since): fail this Update only.
                raise rejection(Rejected(Message(msgid=cause.message))) from None
            if isinstance(cause, ApplicationError) and cause.type == FAILED:
                raise ApplicationError(cause.message, type=FAILED, non_retryable=True) from None
            raise

    def _describe(self) -> None:
        """What an operator reads in the Web UI: the flow, the state, and what it waits for."""
        state = self._runner.state
        if state.is_terminal:
            waiting = f"finished: {state.outcome}"
        else:
            wants = [f"inputs {', '.join(i.ident for i in state.inputs)}"] if state.inputs else []
            wants += [f"event {e.ident}" for e in state.events]
            waiting = "waiting for " + " or ".join(wants)
        workflow.set_current_details(
            f"{self._runner.flow.name} · repair {self._runner.run.repair_id} · "
            f"state {state.ident} ({state.name}) · {waiting}"
        )
