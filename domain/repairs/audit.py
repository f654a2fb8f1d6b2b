"""The audit trail of a repair: repair_workflow_event, repair_workflow_state, repair_workflow_history,
and the repair's pointers to them (workflow_state_id, latest_workflow_event_id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.repair import Repair, RepairWorkflowEvent, RepairWorkflowHistory, RepairWorkflowState
from domain.repairs.undo import UndoOp, encode
from repair_flows.records import StepPlan


def enter_state(session: Session, repair: Repair, state_id: str, now: datetime) -> RepairWorkflowState:
    """Close the time spent in the current state (exit_time) and open a row for `state_id`."""
    for row in session.scalars(
        select(RepairWorkflowState).where(
            RepairWorkflowState.repair_id == repair.repair_id, RepairWorkflowState.exit_time.is_(None)
        )
    ):
        row.exit_time = now
    row = RepairWorkflowState(repair_id=repair.repair_id, state_id=state_id, entry_time=now)
    session.add(row)
    repair.workflow_state_id = state_id
    return row


def record_event(session: Session, repair: Repair, plan: StepPlan) -> RepairWorkflowEvent:
    """One repair_workflow_event per input, event and undo: where from, what, with what, where to."""
    event = RepairWorkflowEvent(
        repair_id=repair.repair_id,
        current_state_id=plan.source,
        event_id=plan.trigger,
        payload=plan.payload,
        next_state_id=plan.dest,
    )
    session.add(event)
    session.flush()
    repair.latest_workflow_event_id = event.repair_workflow_event_id
    return event


def record_history(
    session: Session, repair: Repair, plan: StepPlan, undo: list[UndoOp], can_undo: bool
) -> RepairWorkflowHistory:
    """The undo stack's new top: the step and the commands that revert it."""
    history = RepairWorkflowHistory(
        repair_id=repair.repair_id,
        start_state_id=plan.source,
        end_state_id=plan.dest,
        update_commands_bin=encode(undo),
        can_undo=can_undo,
    )
    session.add(history)
    session.flush()
    return history
