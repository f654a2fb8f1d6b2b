"""`/products/<imei>/suggest_energy_limit`: a technician suggests a unit's daily energy limit.

The limit is bounded by the `default_energy_limit` row for the unit's battery type, state and entity
(an entity's own row wins over the row for every entity, `entity_id` NULL), then truncated to the unit's
`energy_limit_cap` when one is set. It is refused while the unit has `total_accessory_energy` set (its
accessories fix the limit) and outside the states ACTIVATED, MONITORED and IN_REPAIR_SYSTEM. The applied
limit goes to the unit as a pending `energy_limit` parameter, delivered like any other parameter.

`energy_limit_cap` and `total_accessory_energy` are parameters of the unit too (parameter types seeded by
migration 0007): set through `POST /v1/parameters`, visible in the unit's parameter history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.parts import DefaultEnergyLimit, Part, PartProductLinker
from db.models.product import Product
from db.models.software import ParameterType
from domain.device.switches import lock_product
from domain.errors import BadRequest, ValidationFailed
from domain.lifecycle.reference import STATE_TYPE_IDS
from domain.lifecycle.states import current_state_name
from domain.parameters import store
from domain.scope import UnitScope, unit_entity_id

ENERGY_LIMIT, ENERGY_LIMIT_CAP, TOTAL_ACCESSORY_ENERGY = (
    "energy_limit",
    "energy_limit_cap",
    "total_accessory_energy",
)
ALLOWED_STATES = ("ACTIVATED", "MONITORED", "IN_REPAIR_SYSTEM")
# What migration 0007 seeds: name -> description.
ENERGY_TYPES = {
    ENERGY_LIMIT: "Daily energy the unit may deliver",
    ENERGY_LIMIT_CAP: "Highest energy_limit suggest_energy_limit may apply",
    TOTAL_ACCESSORY_ENERGY: "Energy of the accessories sold with the unit; fixes its energy_limit",
}


def energy_type(session: Session, name: str) -> ParameterType:
    """The parameter type (seeded by migration 0007; put back if someone deleted it)."""
    found = store.parameter_type_named(session, name)
    if found is None:
        found = ParameterType(
            name=name,
            data_type="float",
            validation_rules={"min": 0},
            description=ENERGY_TYPES[name],
            repeatable=False,
            setting=True,
        )
        session.add(found)
        session.flush()
    return found


@dataclass(frozen=True)
class Suggestion:
    requested: float
    applied: float
    max_energy_limit: float
    min_energy_limit: float
    bounded: bool  # the applied limit differs from the requested one (by the bounds or the cap)
    energy_limit_cap: float | None
    truncated: bool  # the cap lowered it
    parameter: store.Row
    changed: bool  # a pending energy_limit was written: the unit's workflow must hear of it

    def data(self) -> dict[str, object]:
        return {
            "requested": self.requested,
            "applied": self.applied,
            "max_energy_limit": self.max_energy_limit,
            "min_energy_limit": self.min_energy_limit,
            "bounded": self.bounded,
            "energy_limit_cap": self.energy_limit_cap,
            "truncated": self.truncated,
            "parameter_id": self.parameter.parameter_id,
        }


def _number(text: str, field: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationFailed(
            f'{field} must be a number written as a string, e.g. "120"',
            validation_errors={field: "Must be a number (as a string)"},
        )
    return value


def default_limits(session: Session, product: Product, state: str) -> DefaultEnergyLimit:
    """The default_energy_limit row for the unit's battery (a part fitted now), state and entity."""
    entity_id = unit_entity_id(session, product.product_imei)
    state_type_id = STATE_TYPE_IDS.get(state)
    rows = session.scalars(
        select(DefaultEnergyLimit)
        .join(Part, Part.part_type_id == DefaultEnergyLimit.battery_type_id)
        .join(PartProductLinker, PartProductLinker.part_id == Part.part_id)
        .where(
            PartProductLinker.product_imei == product.product_imei,
            PartProductLinker.date_removed.is_(None),
            DefaultEnergyLimit.state_type_id == state_type_id,
            (DefaultEnergyLimit.entity_id == entity_id) | DefaultEnergyLimit.entity_id.is_(None),
        )
        .order_by(DefaultEnergyLimit.entity_id.is_(None), DefaultEnergyLimit.default_energy_limit_id)
    ).all()
    if not rows:
        raise BadRequest(
            f"No default_energy_limit for the battery of product {product.product_imei} in state {state}"
            + (f" for entity {entity_id}" if entity_id is not None else "")
        )
    return rows[0]


def suggest(session: Session, scope: UnitScope, imei: str, energy_limit: str, now: datetime) -> Suggestion:
    """Bound, cap and queue a suggested energy limit (400, nothing written, when refused)."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    requested = _number(energy_limit, "energy_limit")
    state = current_state_name(session, product)
    if state not in ALLOWED_STATES:
        raise BadRequest(
            f"Product {imei} is {state}: an energy limit can be suggested only for units "
            f"{', '.join(ALLOWED_STATES[:-1])} or {ALLOWED_STATES[-1]}"
        )
    accessories = store.current_value(session, imei, TOTAL_ACCESSORY_ENERGY)
    if accessories is not None:
        raise BadRequest(
            f"Product {imei} has total_accessory_energy set ({accessories}): its energy_limit cannot be altered"
        )
    limits = default_limits(session, product, state)
    applied = min(max(requested, limits.min_energy_limit), limits.max_energy_limit)
    cap_text = store.current_value(session, imei, ENERGY_LIMIT_CAP)
    cap = _number(cap_text, ENERGY_LIMIT_CAP) if cap_text is not None else None
    truncated = cap is not None and applied > cap
    if truncated:
        applied = cap
    kind = energy_type(session, ENERGY_LIMIT)
    outcome = store.request(session, scope, store.PRODUCT, imei, kind.parameter_type_id, repr(applied), now)
    return Suggestion(
        requested=requested,
        applied=applied,
        max_energy_limit=limits.max_energy_limit,
        min_energy_limit=limits.min_energy_limit,
        bounded=applied != requested,
        energy_limit_cap=cap,
        truncated=truncated,
        parameter=outcome.row,
        changed=outcome.changed,
    )
