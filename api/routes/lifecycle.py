"""A unit's life after the factory: its entities, its lifecycle state, its parts, and where units are.

Entity changes commit, then reach the unit's running workflows (`EntityId`); ENTITY visibility and
webhook scope read `product_entity_linker`, so they follow at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy.orm import Session

from api.deps import AdminUser, ClockDep, OverviewUser, ScopeDep, SessionDep
from api.lifecycle_workflows import entity_changed
from api.schemas.envelope import Notice
from api.schemas.lifecycle import PART_TYPE_KEYS, EntitiesOf, LocationsPage, PartsFound
from api.tables.serialize import serializer_for
from api.temporal import client_for_app
from clients.temporal import WorkflowUnavailable
from core.settings import get_settings
from db.models.parts import Part, PartProductLinker, PartType
from domain.device.switches import lock_product
from domain.errors import ValidationFailed
from domain.lifecycle import entities
from domain.lifecycle.locations import latest_locations
from domain.lifecycle.parts import product_parts
from domain.lifecycle.states import change_state_by_id
from domain.repairs.repairs import current_repair
from domain.scope import UnitScope

log = logging.getLogger(__name__)
router = APIRouter(prefix="/products", tags=["product lifecycle"])
# "by default, will return up to 1000 of latest recorded locations"
LOCATIONS_PER_PAGE = 1000
Imei = Annotated[str, Path(min_length=1, max_length=15)]
Id = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityIn(Strict):
    entity_id: Id


class EntitySwap(Strict):
    old_entity_id: Id
    new_entity_id: Id


class NewState(Strict):
    new_state: Id


@dataclass(frozen=True)
class EntityCall:
    """What an entity change needs: an ADMIN's unit of work, scope and clock, and the app (for Temporal)."""

    session: Session
    scope: UnitScope
    clock: Callable[[], datetime]
    request: Request

    def told(self, change: entities.EntityChange) -> EntitiesOf:
        """Commit the change, then tell the unit's running workflows their new EntityId."""
        repair = current_repair(self.session, change.imei)
        self.session.commit()
        try:
            client = from_thread.run(client_for_app, self.request.app)
            from_thread.run(
                entity_changed, client, change.imei, repair and repair.repair_id, change.entity_id
            )
        except WorkflowUnavailable as err:  # the change stands, the runs keep the old EntityId
            log.warning("EntityId of the workflows of %s not updated: %s", change.imei, err)
        return EntitiesOf(message=change.message, data=change.data)


async def entity_call(
    request: Request, session: SessionDep, _user: AdminUser, scope: ScopeDep, clock: ClockDep
) -> EntityCall:
    return EntityCall(session, scope, clock, request)


EntityDep = Annotated[EntityCall, Depends(entity_call)]


@router.put("/{imei}/assign_entity", response_model=EntitiesOf)
def assign_entity(imei: Imei, body: EntityIn, call: EntityDep) -> EntitiesOf:
    return call.told(entities.assign_entity(call.session, call.scope, imei, body.entity_id, call.clock()))


@router.put("/{imei}/change_entity", response_model=EntitiesOf)
def change_entity(imei: Imei, body: EntitySwap, call: EntityDep) -> EntitiesOf:
    old, new = body.old_entity_id, body.new_entity_id
    return call.told(entities.change_entity(call.session, call.scope, imei, old, new, call.clock()))


@router.put("/{imei}/remove_entity", response_model=EntitiesOf)
def remove_entity(imei: Imei, body: EntityIn, call: EntityDep) -> EntitiesOf:
    return call.told(entities.remove_entity(call.session, call.scope, imei, body.entity_id, call.clock()))


@router.put("/{imei}/change_state", response_model=Notice)
def change_state(imei: Imei, body: NewState, session: SessionDep, user: AdminUser, scope: ScopeDep) -> Notice:
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    change_state_by_id(session, product, body.new_state, user.username)
    return Notice(message="Product state changed")


def _positive(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(
            f"'{name}' must be a whole number, 1 or more", validation_errors={name: "Must be 1 or more"}
        )
    return int(raw)


@router.get("/locations", response_model=LocationsPage)
def locations(request: Request, session: SessionDep, _user: OverviewUser, scope: ScopeDep) -> LocationsPage:
    """Paged by imei: `page` (from 1), `results_per_page` (default 1,000; larger asks are clamped)."""
    page = _positive(request, "page", 1)
    limit = max(LOCATIONS_PER_PAGE, get_settings().max_results_per_page)
    per_page = min(_positive(request, "results_per_page", LOCATIONS_PER_PAGE), limit)
    found = latest_locations(session, scope, page, per_page)
    return LocationsPage(
        message="Locations found.",
        data=found.locations,
        num_results=found.num_results,
        page=found.page,
        total_pages=found.total_pages,
    )


def _part_type(part_type: PartType) -> dict:
    row = serializer_for(PartType).from_object(part_type)
    return {key: row[key] for key in PART_TYPE_KEYS}


@router.get("/{imei}/parts", response_model=PartsFound)
def parts(imei: Imei, session: SessionDep, _user: OverviewUser, scope: ScopeDep) -> PartsFound:
    data = {}
    for fitted in product_parts(session, scope, imei):
        part = serializer_for(Part).from_object(fitted.part)
        data[str(fitted.part.part_id)] = part | {
            "part_product_linker": serializer_for(PartProductLinker).from_object(fitted.linker),
            "part_type": _part_type(fitted.part_type),
            "replacement_part_types": [_part_type(t) for t in fitted.replacement_part_types],
        }
    return PartsFound(message="Parts found.", data=data)
