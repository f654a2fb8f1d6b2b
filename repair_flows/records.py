"""What crosses Temporal for a repair: submissions, planned steps, their outcomes, and the run's state.

All pydantic, so `pydantic_data_converter` carries them; `RepairRun` is also the continue-as-new
snapshot of a repair workflow.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from repair_flows.i18n import Message
from repair_flows.spec import EffectSpec, EventSpec, InputSpec, Option

SubmissionKind = Literal["inputs", "event"]


class Submission(BaseModel):
    """A technician's send_inputs (payload ident -> value) or send_events (payload {"event": ident})."""

    kind: SubmissionKind
    payload: dict[str, Any]
    actor: str
    # The client's Idempotency-Key, when it sent one: the same key is never applied twice.
    request_key: str | None = None


class UndoRequest(BaseModel):
    """A technician's undo. `expected_state`, when sent, is the state the app shows: an undo that
    already left it (a retried request) is not applied again."""

    actor: str
    expected_state: str | None = None


class StepPlan(BaseModel):
    """A move the workflow decided on; an activity applies it to the database in one transaction."""

    seq: int
    kind: Literal["inputs", "event", "undo"]
    source: str
    dest: str
    trigger: str
    payload: dict[str, Any] = Field(default_factory=dict)
    effects: tuple[EffectSpec, ...] = ()
    # For an undo: the repair_workflow_history row whose recorded commands are reverted.
    undo_history_id: int | None = None


class StepOutcome(BaseModel):
    """What the database made of a step, and the options of the state now current."""

    history_id: int | None = None
    event_id: int
    can_undo: bool = True
    undo_refusal: Message | None = None
    options: dict[str, list[Option]] = Field(default_factory=dict)


class StepRecord(BaseModel):
    """One applied step on the undo stack."""

    seq: int
    kind: SubmissionKind
    source: str
    dest: str
    payload: dict[str, Any]
    request_key: str | None = None
    history_id: int | None = None
    can_undo: bool = True
    undo_refusal: Message | None = None


class RepairRun(BaseModel):
    """Everything a repair workflow knows: where the repair is and how it got there."""

    repair_id: int
    flow_name: str
    product_imei: str
    config: dict[str, Any] = Field(default_factory=dict)
    state: str
    options: dict[str, list[Option]] = Field(default_factory=dict)
    steps: list[StepRecord] = Field(default_factory=list)
    # Steps and undos sent to the database so far: the activity's idempotency counter.
    seq: int = 0
    # The state the last undo left, until the next step: tells a retried undo from a new one.
    last_undo_from: str | None = None
    # The current state's options are loaded (false only until the first activity returns).
    ready: bool = False

    def values(self) -> dict[str, Any]:
        """The inputs collected along the steps taken (the latest value of each ident wins)."""
        merged: dict[str, Any] = {}
        for step in self.steps:
            if step.kind == "inputs":
                merged.update(step.payload)
        return merged


class StateView(BaseModel):
    """The doc's current_state data (untranslated): ident, name, description, inputs, events."""

    ident: str
    name: str
    description: str
    inputs: list[InputSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    finished: bool = False
    # Why Undo would be refused now (None: the last step can be undone), so an app shows Undo only
    # when it would work and the reason otherwise.
    undo_refusal: Message | None = None


class StateRef(BaseModel):
    """One entry of the doc's repair history: a state's ident and (untranslated) name."""

    ident: str
    name: str


class Receipt(BaseModel):
    """The answer to a send_inputs / send_events / undo Update."""

    state: str
    duplicate: bool = False
