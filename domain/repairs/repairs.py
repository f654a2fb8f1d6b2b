"""Repairs as the API sees them: open (get_repair), find within scope, list current states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.product import Product, ProductEntityLinker, ProductType
from db.models.repair import Repair
from domain.errors import BadRequest, NotFound
from domain.lifecycle.states import IN_REPAIR_SYSTEM, current_state_name
from domain.repairs import audit
from domain.repairs.selector import choose_flow
from domain.scope import UnitScope, unit_entity_id
from repair_flows import get_flow
from repair_flows.i18n import N_, msg
from repair_flows.spec import Flow


class NotInRepairSystem(BadRequest):
    """get_repair on a unit that is not IN_REPAIR_SYSTEM; `reason` is translatable (the app shows it)."""

    def __init__(self, imei: str, state: str) -> None:
        self.reason = msg(
            N_(
                "Product %(imei)s is not in IN_REPAIR_SYSTEM state (it is %(state)s): no repair can be started"
            ),
            imei=imei,
            state=state,
        )
        self.state = state
        super().__init__(self.reason.render(), data={"state": state})


@dataclass(frozen=True)
class OpenRepair:
    """A repair in progress and what its workflow is started with."""

    repair_id: int
    product_imei: str
    flow: Flow
    config: dict
    entity_id: int | None
    created: bool


def current_repair(session: Session, imei: str) -> Repair | None:
    """The unit's repair in progress driven by a workflow (at most one: `open_repair` sees to it)."""
    return session.scalar(
        select(Repair)
        .where(
            Repair.product_imei == imei, Repair.pending_status.is_(True), Repair.workflow_name.is_not(None)
        )
        .order_by(Repair.repair_id.desc())
        .limit(1)
    )


def open_repair(session: Session, scope: UnitScope, imei: str, username: str, now: datetime) -> OpenRepair:
    """The unit's current repair, or a new one when the unit is IN_REPAIR_SYSTEM (400 otherwise).

    The product row is locked first, so two requests racing for one unit create one repair.
    """
    scope.ensure_visible(session, imei)
    product = session.scalar(select(Product).where(Product.product_imei == imei).with_for_update())
    if product is None:
        raise NotFound(f"Product {imei} not found")
    product_type = session.get(ProductType, product.product_type_id)
    entity_id = unit_entity_id(session, imei)
    repair = current_repair(session, imei)
    if repair is not None and get_flow(repair.workflow_name) is not None:
        flow = get_flow(repair.workflow_name)
        return OpenRepair(repair.repair_id, imei, flow, flow.config_for(product_type.name), entity_id, False)
    state = current_state_name(session, product)
    if state != IN_REPAIR_SYSTEM:
        raise NotInRepairSystem(imei, state)
    flow = choose_flow(session, product, username)
    repair = Repair(
        product_imei=imei,
        arrival_date=None,
        pending_status=True,
        workflow_name=flow.name,
        workflow_state_id=flow.initial,
        context={"seq": 0},
    )
    session.add(repair)
    session.flush()
    audit.enter_state(session, repair, flow.initial, now)
    return OpenRepair(repair.repair_id, imei, flow, flow.config_for(product_type.name), entity_id, True)


def visible_repair(session: Session, scope: UnitScope, repair_id: int) -> Repair:
    """The repair if its unit is visible to the caller; 404 alike for missing and out of scope."""
    repair = session.scalar(
        select(Repair).where(Repair.repair_id == repair_id, scope.imei_visible(Repair.product_imei))
    )
    if repair is None or repair.workflow_name is None:
        raise NotFound(f"Repair {repair_id} not found")
    return repair


@dataclass(frozen=True)
class CurrentState:
    repair_id: int
    product_imei: str
    created_by: str | None
    flow_name: str
    state_id: str


def list_current_states(
    session: Session,
    scope: UnitScope,
    *,
    entity_id: int | None = None,
    username: str | None = None,
    repair_state: str | None = None,
) -> list[CurrentState]:
    """Repairs in progress (newest first) and the state each is in, filtered as the doc allows."""
    query = (
        select(Repair)
        .where(
            Repair.pending_status.is_(True),
            Repair.workflow_name.is_not(None),
            scope.imei_visible(Repair.product_imei),
        )
        .order_by(Repair.repair_id.desc())
    )
    if entity_id is not None:
        query = query.where(
            select(ProductEntityLinker.product_entity_linker_id)
            .where(
                ProductEntityLinker.product_imei == Repair.product_imei,
                ProductEntityLinker.entity_id == entity_id,
                ProductEntityLinker.date_removed.is_(None),
            )
            .exists()
        )
    if username is not None:
        query = query.where(Repair.created_by == username)
    if repair_state is not None:
        query = query.where(Repair.workflow_state_id == repair_state)
    return [
        CurrentState(r.repair_id, r.product_imei, r.created_by, r.workflow_name, r.workflow_state_id)
        for r in session.scalars(query)
    ]
