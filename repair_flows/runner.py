"""The decisions of one repair, kept apart from Temporal: validate, plan a step, record it, undo it.

`RepairWorkflow` holds a `FlowRunner`; its Update validators call `plan` / `plan_undo` (pure, so a
refused submission leaves no trace), its handlers apply the plan through an activity and `record`
the outcome. Tests drive a `FlowRunner` directly, without a server.
"""

from __future__ import annotations

from repair_flows.engine import FlowEngine
from repair_flows.i18n import N_, Message, msg
from repair_flows.records import (
    RepairRun,
    StateRef,
    StateView,
    StepOutcome,
    StepPlan,
    StepRecord,
    Submission,
    UndoRequest,
)
from repair_flows.spec import INPUTS, Flow, InputSpec, StateSpec
from repair_flows.validation import GENERAL, validate_inputs

INVALID_DATA = N_("Your request contained invalid data. See 'data' or 'validation_errors' for exact details")


class Rejected(Exception):
    """A submission or an undo refused before anything happened; `errors` are keyed by input ident."""

    def __init__(self, message: Message, errors: dict[str, Message] | None = None) -> None:
        super().__init__(message.render())
        self.message = message
        self.errors = errors or {}


class FlowRunner:
    """One repair's position in its flow, and the rules for moving it."""

    def __init__(self, flow: Flow, run: RepairRun) -> None:
        self.flow = flow
        self.run = run
        self.engine = FlowEngine(flow)

    @property
    def state(self) -> StateSpec:
        return self.flow.state(self.run.state)

    @property
    def finished(self) -> bool:
        return self.state.is_terminal

    def resolved_inputs(self) -> list[InputSpec]:
        """The current state's inputs, with database-sourced options filled in."""
        return [
            (
                spec.model_copy(update={"options": tuple(self.run.options.get(spec.ident, ()))})
                if spec.options_source
                else spec
            )
            for spec in self.state.inputs
        ]

    def view(self) -> StateView:
        state = self.state
        return StateView(
            ident=state.ident,
            name=state.name,
            description=state.description,
            inputs=self.resolved_inputs(),
            events=list(state.events),
            finished=state.is_terminal,
            undo_refusal=self.undo_refusal(),
        )

    def history(self) -> list[StateRef]:
        """The states walked through to the current one (undone steps are gone from it)."""
        path = [step.source for step in self.run.steps] + [self.run.state]
        return [StateRef(ident=ident, name=self.flow.state(ident).name) for ident in path]

    def duplicate_of(self, submission: Submission) -> StepRecord | None:
        """The applied step `submission` repeats, if it is a retry.

        With an Idempotency-Key, a retry is a step applied under the same key. Without one, it is
        the same submission as the last step applied, arriving while its result is still current
        (the app retried after losing the answer, or the technician tapped twice).
        """
        if submission.request_key is not None:
            return next((s for s in self.run.steps if s.request_key == submission.request_key), None)
        last = self.run.steps[-1] if self.run.steps else None
        if last and (last.kind, last.payload, last.dest) == (
            submission.kind,
            submission.payload,
            self.run.state,
        ):
            return last
        return None

    def _ensure_open(self) -> None:
        if self.finished:
            raise Rejected(msg(N_("This repair is finished.")))
        if not self.run.ready:
            raise Rejected(msg(N_("The repair is still starting; try again in a moment.")))

    def plan(self, submission: Submission) -> StepPlan:
        """The step `submission` leads to; raises `Rejected` (with per-input errors) when invalid."""
        self._ensure_open()
        if submission.kind == INPUTS:
            values, errors = validate_inputs(self.resolved_inputs(), submission.payload)
            trigger, payload = INPUTS, values
        else:
            errors, trigger = self._check_event(submission.payload), submission.payload.get("event")
            values, payload = {}, {"event": trigger}
        if errors:
            raise Rejected(msg(INVALID_DATA), errors)
        transition = self.engine.decide(
            self.run.state, trigger, {**self.run.values(), **values}, self.run.config
        )
        if transition is None:
            no_match = msg(N_("No next step matches these inputs."))
            raise Rejected(no_match, {GENERAL: no_match})
        return StepPlan(
            seq=self.run.seq + 1,
            kind=submission.kind,
            source=self.run.state,
            dest=transition.dest,
            trigger=trigger,
            payload=payload,
            effects=transition.effects,
        )

    def _check_event(self, payload: dict) -> dict[str, Message]:
        event = payload.get("event")
        if set(payload) != {"event"} or not isinstance(event, str):
            return {"event": msg(N_('Send one event as {"event": "<ident>"}.'))}
        if event not in {e.ident for e in self.state.events}:
            return {"event": msg(N_("The event %(event)s is not allowed in this step."), event=event)}
        return {}

    def record(self, plan: StepPlan, outcome: StepOutcome, request_key: str | None) -> None:
        """Move to `plan.dest` once the database has applied the step."""
        self.run.steps.append(
            StepRecord(
                seq=plan.seq,
                kind=plan.kind,
                source=plan.source,
                dest=plan.dest,
                payload=plan.payload,
                request_key=request_key,
                history_id=outcome.history_id,
                can_undo=outcome.can_undo,
                undo_refusal=outcome.undo_refusal,
            )
        )
        self._arrive(plan, outcome)
        self.run.last_undo_from = None

    def undo_repeats(self, request: UndoRequest) -> bool:
        """True when `request` is a retry of the undo that already left `expected_state`."""
        return request.expected_state is not None and request.expected_state == self.run.last_undo_from

    def undo_refusal(self) -> Message | None:
        """Why the last step cannot be undone now, or None when it can (apps show or hide Undo by it)."""
        if self.finished:
            return msg(N_("This repair is finished: its steps can no longer be undone."))
        if not self.run.steps:
            return msg(N_("There is nothing to undo."))
        last = self.run.steps[-1]
        if not last.can_undo:
            return last.undo_refusal or msg(N_("This step cannot be undone."))
        return None

    def plan_undo(self, request: UndoRequest) -> StepPlan:
        """Back to the state before the last step; raises `Rejected` saying why when it cannot be."""
        if request.expected_state is not None and request.expected_state != self.run.state:
            raise Rejected(
                msg(
                    N_("The repair is in %(state)s, not %(expected)s: nothing was undone."),
                    state=self.run.state,
                    expected=request.expected_state,
                )
            )
        refusal = self.undo_refusal()
        if refusal is not None:
            raise Rejected(refusal)
        last = self.run.steps[-1]
        return StepPlan(
            seq=self.run.seq + 1,
            kind="undo",
            source=self.run.state,
            dest=last.source,
            trigger="undo",
            undo_history_id=last.history_id,
        )

    def record_undo(self, plan: StepPlan, outcome: StepOutcome) -> None:
        self.run.steps.pop()
        self._arrive(plan, outcome)
        self.run.last_undo_from = plan.source

    def _arrive(self, plan: StepPlan, outcome: StepOutcome) -> None:
        self.run.state = plan.dest
        self.run.seq = plan.seq
        self.run.options = outcome.options
