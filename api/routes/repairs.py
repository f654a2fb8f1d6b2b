"""Repair Actions (the doc's IRT endpoints) and `/products/<imei>/get_repair`.

Each route checks token, permission level and entity scope against the database, then talks to the
repair's RepairWorkflow: queries for what the technician sees, Updates for what they submit. Screens
and validation messages come back in the language of `Accept-Language` (en, fr).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.deps import (
    ClockDep,
    OverviewUser,
    ScopeDep,
    SessionDep,
    TechnicalUser,
    authenticate_then,
    autocommit_in_thread,
)
from api.i18n import Translator, TranslatorDep
from api.schemas.envelope import Acknowledged
from api.schemas.repairs import (
    CurrentRepairs,
    EventBody,
    InputValues,
    RepairFound,
    RepairOpened,
    StateFound,
    StatePath,
    StepUndone,
    UndoBodyIn,
    Undone,
)
from api.temporal import TemporalDep
from clients import repair as repair_workflows
from core.settings import get_settings
from db.models.user import User
from domain.errors import BadRequest
from domain.permissions import Permission
from domain.repairs.repairs import NotInRepairSystem, open_repair, visible_repair
from domain.repairs.repairs import list_current_states as current_states
from domain.scope import UnitScope
from repair_flows import get_flow
from repair_flows.i18n import N_
from repair_flows.records import StateView, Submission, UndoRequest
from repair_flows.spec import InputSpec

# A technician's step is read as JSON whatever its Content-Type says (scripts often omit it).
router = APIRouter(tags=["repair actions"], strict_content_type=False)

Imei = Annotated[str, Path(min_length=1, max_length=15)]
RepairId = Annotated[int, Path(ge=1)]
# A client that retries with the same key never has its submission applied twice.
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def localized_state(view: StateView, tr: Translator) -> dict[str, Any]:
    """The doc's current_state data: ident, name, description, inputs, events, in the caller's language.

    Beyond the doc: `finished` (an outcome screen), `can_undo` and `undo_refusal` (why Undo would be
    refused now), so an app offers Undo only when it works and otherwise says why.
    """
    return {
        "ident": view.ident,
        "name": tr.gettext(view.name),
        "description": tr.gettext(view.description),
        "inputs": [_input(spec, tr) for spec in view.inputs],
        "events": [{"ident": e.ident, "label": tr.gettext(e.label)} for e in view.events],
        "finished": view.finished,
        "can_undo": view.undo_refusal is None,
        "undo_refusal": tr.render(view.undo_refusal) if view.undo_refusal else None,
    }


def _input(spec: InputSpec, tr: Translator) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "ident": spec.ident,
        "label": tr.gettext(spec.label),
        "data_type": spec.data_type,
        # Beyond the doc: an optional input may be left out of send_inputs.
        "required": spec.required,
    }
    if spec.validation_rules:
        shape["validation_rules"] = spec.validation_rules
    if spec.data_type == "selection":
        shape["selection_type"] = spec.selection_type
        shape["options"] = [{"label": tr.gettext(o.label), "value": o.value} for o in spec.options]
    return shape


def _ensure_visible(session: Session, scope: UnitScope, repair_id: int) -> None:
    """404 for a repair of another entity's unit. A GLOBAL user sees every unit, so the workflow's own
    404 is enough and the request skips the database read."""
    if not scope.is_global:
        visible_repair(session, scope, repair_id)


@dataclass(frozen=True)
class RepairAccess:
    """The caller, checked at a route's level, and the repair, checked visible to them."""

    repair_id: int
    user: User
    scope: UnitScope


def repair_access(level: Permission) -> Callable[..., Awaitable[RepairAccess]]:
    """Token, level and the repair's entity scope in one thread hop, the connection handed back before
    the request waits on the workflow (the token's hop and then the scope's cost two hops and checkouts)."""

    async def authorized_repair(
        request: Request, repair_id: RepairId, session: SessionDep, clock: ClockDep
    ) -> RepairAccess:
        user, scope = await authenticate_then(request, session, clock, level, _ensure_visible, repair_id)
        return RepairAccess(repair_id, user, scope)

    authorized_repair.__name__ = f"authorized_repair_{level.name.lower()}"
    return authorized_repair


OverviewRepair = Annotated[RepairAccess, Depends(repair_access(Permission.OVERVIEW))]
TechnicalRepair = Annotated[RepairAccess, Depends(repair_access(Permission.TECHNICAL))]


@router.get("/products/{imei}/get_repair", response_model=RepairFound)
async def get_repair(
    imei: Imei,
    session: SessionDep,
    user: TechnicalUser,
    scope: ScopeDep,
    temporal: TemporalDep,
    clock: ClockDep,
    tr: TranslatorDep,
) -> RepairFound:
    """The unit's repair workflow: found, or created when the unit is IN_REPAIR_SYSTEM (400 otherwise)."""

    def open_and_commit():
        try:
            opened = open_repair(session, scope, imei, user.username, clock())
        except NotInRepairSystem as err:
            raise BadRequest(tr.render(err.reason), data={"state": err.state}) from err
        session.commit()  # the workflow's activities must see the repair row
        return opened

    opened = await run_in_threadpool(open_and_commit)
    await repair_workflows.ensure_started(temporal, get_settings().task_queue, opened)
    message = N_("Repair created") if opened.created else N_("Repair found")
    data = RepairOpened(repair_id=opened.repair_id, config=opened.config)
    return RepairFound(message=tr.gettext(message), data=data)


@router.get("/repairs/list_current_states", response_model=CurrentRepairs)
async def list_current_states(
    session: SessionDep,
    _user: OverviewUser,
    scope: ScopeDep,
    tr: TranslatorDep,
    entity_id: Annotated[int | None, Query()] = None,
    username: Annotated[str | None, Query(max_length=255)] = None,
    repair_state: Annotated[str | None, Query(max_length=255)] = None,
) -> CurrentRepairs:
    def read(session: Session):
        return current_states(
            session, scope, entity_id=entity_id, username=username, repair_state=repair_state
        )

    rows = await autocommit_in_thread(session, read)
    data = []
    for row in rows:
        flow = get_flow(row.flow_name)
        state = flow.states.get(row.state_id) if flow else None
        data.append(
            {
                "created_by": row.created_by,
                "product_imei": row.product_imei,
                "repair_id": row.repair_id,
                "repair_state_id": row.state_id,
                "repair_state_name": tr.gettext(state.name) if state else row.state_id,
            }
        )
    return CurrentRepairs(message=tr.gettext(N_("Repair states found")), data=data)


@router.get("/repairs/{repair_id}/current_state", response_model=StateFound)
async def current_state(access: OverviewRepair, temporal: TemporalDep, tr: TranslatorDep) -> StateFound:
    view = await repair_workflows.current_state(temporal, access.repair_id)
    return StateFound(message=tr.gettext(N_("Repair found")), data=localized_state(view, tr))


@router.get("/repairs/{repair_id}/history", response_model=StatePath)
async def history(access: OverviewRepair, temporal: TemporalDep, tr: TranslatorDep) -> StatePath:
    path = await repair_workflows.history(temporal, access.repair_id)
    data = [{"ident": ref.ident, "name": tr.gettext(ref.name)} for ref in path]
    return StatePath(message=tr.gettext(N_("Repair state found")), data=data)


@dataclass(frozen=True)
class RepairStep:
    """What a technician's step needs (the repair, checked visible to them), Temporal, their language
    and the request's Idempotency-Key."""

    repair_id: int
    username: str
    temporal: Client
    tr: Translator
    key: str | None

    async def submit(self, kind: str, payload: dict[str, Any]) -> Acknowledged:
        submission = Submission(kind=kind, payload=payload, actor=self.username, request_key=self.key)
        await repair_workflows.submit(self.temporal, self.repair_id, submission, self.tr)
        return Acknowledged(message=self.tr.gettext(N_("Repair updated")))


async def repair_step(
    access: TechnicalRepair,
    temporal: TemporalDep,
    tr: TranslatorDep,
    idempotency_key: IdempotencyKey = None,
) -> RepairStep:
    return RepairStep(access.repair_id, access.user.username, temporal, tr, idempotency_key)


StepDep = Annotated[RepairStep, Depends(repair_step)]


@router.put("/repairs/{repair_id}/send_inputs", response_model=Acknowledged)
async def send_inputs(step: StepDep, body: Annotated[InputValues, Body()]) -> Acknowledged:
    """Submit the current state's inputs, e.g. {"voltage": 4.8, "serial": "MC0211-999002-1"}."""
    return await step.submit("inputs", body)


@router.put("/repairs/{repair_id}/send_events", response_model=Acknowledged)
async def send_events(step: StepDep, body: EventBody) -> Acknowledged:
    """Submit an event of the current state, e.g. {"event": "battery.charged"}."""
    return await step.submit("event", body.model_dump())


@router.put("/repairs/{repair_id}/undo", response_model=StepUndone)
async def undo(step: StepDep, body: Annotated[UndoBodyIn | None, Body()] = None) -> StepUndone:
    """Back to the previous state, reverting the database effects of the step undone.

    Optional body {"state": "<ident the app shows>"}: a retried undo that already left it is not repeated.
    """
    request = UndoRequest(actor=step.username, expected_state=body.state if body else None)
    receipt = await repair_workflows.undo(step.temporal, step.repair_id, request, step.key, step.tr)
    return StepUndone(message=step.tr.gettext(N_("Step undone")), data=Undone(ident=receipt.state))
