"""Apply a planned step (or an undo) to the database in one transaction, exactly once.

The repair row is locked for the step, and `repair.context["seq"]` remembers the last step applied:
an activity retried after its commit returns the recorded outcome instead of applying it again.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.product import Product
from db.models.repair import Repair, RepairWorkflowHistory
from domain.errors import Conflict, NotFound
from domain.repairs import audit
from domain.repairs.effects import EFFECTS, EffectContext, EffectResult
from domain.repairs.options import load_options
from domain.repairs.undo import decode, revert
from repair_flows import get_flow
from repair_flows.records import StepOutcome, StepPlan
from repair_flows.spec import Option


class StepCommand(BaseModel):
    """The activity's input: apply `plan` to repair `repair_id` on behalf of `actor`."""

    repair_id: int
    flow_name: str
    actor: str
    plan: StepPlan


class OptionsRequest(BaseModel):
    repair_id: int
    flow_name: str
    state: str


def _lock_repair(session: Session, repair_id: int) -> Repair:
    repair = session.scalar(select(Repair).where(Repair.repair_id == repair_id).with_for_update())
    if repair is None:
        raise NotFound(f"Repair {repair_id} not found")
    return repair


def apply_step(session: Session, command: StepCommand, now: datetime) -> StepOutcome:
    """Apply `command.plan` (effects + audit), or return its outcome if it was applied already."""
    plan = command.plan
    repair = _lock_repair(session, command.repair_id)
    context = dict(repair.context or {})
    if context.get("seq", 0) >= plan.seq:
        return StepOutcome.model_validate(context["last_outcome"])
    if repair.workflow_state_id != plan.source:
        raise Conflict(f"Repair {repair.repair_id} is in {repair.workflow_state_id}, not {plan.source}")
    step = _undo if plan.kind == "undo" else _forward
    outcome = step(session, repair, command, now)
    repair = session.get(Repair, command.repair_id)  # reloaded if an undo expired it
    repair.context = {
        **(repair.context or {}),
        "seq": plan.seq,
        "last_outcome": outcome.model_dump(mode="json"),
    }
    return outcome


def _forward(session: Session, repair: Repair, command: StepCommand, now: datetime) -> StepOutcome:
    plan = command.plan
    product = session.get(Product, repair.product_imei)
    ctx = EffectContext(session, repair, product, plan.payload, command.actor, now)
    result = EffectResult()
    for spec in plan.effects:
        applied = EFFECTS[spec.name](ctx, **spec.params)
        result.undo += applied.undo
        if not applied.can_undo:
            result.refuse_undo(applied.refusal)
    event = audit.record_event(session, repair, plan)
    history = audit.record_history(session, repair, plan, result.undo, result.can_undo)
    audit.enter_state(session, repair, plan.dest, now)
    return StepOutcome(
        history_id=history.repair_workflow_history_id,
        event_id=event.repair_workflow_event_id,
        can_undo=result.can_undo,
        undo_refusal=result.refusal,
        options=_options(session, product, command.flow_name, plan.dest),
    )


def _undo(session: Session, repair: Repair, command: StepCommand, now: datetime) -> StepOutcome:
    """Revert the effects recorded for the last step, pop it off the stack, and go back a state."""
    plan = command.plan
    history = session.get(RepairWorkflowHistory, plan.undo_history_id)
    if history is None or history.repair_id != repair.repair_id or history.end_state_id != plan.source:
        raise Conflict(f"Repair {repair.repair_id} has no step into {plan.source} to undo")
    if not history.can_undo:
        raise Conflict("This step cannot be undone")
    revert(session, decode(history.update_commands_bin))  # expires every loaded object
    repair = session.get(Repair, command.repair_id)
    session.delete(session.get(RepairWorkflowHistory, plan.undo_history_id))
    audited = plan.model_copy(update={"payload": {"undone_history_id": plan.undo_history_id}})
    event = audit.record_event(session, repair, audited)
    audit.enter_state(session, repair, plan.dest, now)
    product = session.get(Product, repair.product_imei)
    return StepOutcome(
        event_id=event.repair_workflow_event_id,
        options=_options(session, product, command.flow_name, plan.dest),
    )


def _options(session: Session, product: Product, flow_name: str, state: str) -> dict[str, list[Option]]:
    flow = get_flow(flow_name)
    return load_options(session, product, flow.state(state))


def state_options(session: Session, request: OptionsRequest) -> dict[str, list[Option]]:
    """The options of the state a repair starts in (the first thing its workflow asks for)."""
    repair = session.get(Repair, request.repair_id)
    if repair is None:
        raise NotFound(f"Repair {request.repair_id} not found")
    return _options(session, session.get(Product, repair.product_imei), request.flow_name, request.state)
