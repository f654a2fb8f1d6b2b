"""suggest_energy_limit: bounded by default_energy_limit, truncated to the cap, refused by state and by
total_accessory_energy; the applied limit is a pending energy_limit parameter."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.clock import utcnow
from db.models.parts import DefaultEnergyLimit
from db.models.software import Parameter
from domain.errors import BadRequest, NotFound, ValidationFailed
from domain.lifecycle.reference import STATE_TYPE_IDS
from domain.parameters import energy_limit, store
from domain.scope import UnitScope
from tests.utils.factories import make_entity
from tests.utils.repair_data import move_to, unit_in_repair

GLOBAL = UnitScope(entity_id=None)


@pytest.fixture
def unit(db):
    entity = make_entity(db)
    unit = unit_in_repair(db, in_repair=False, entity=entity)
    activated = STATE_TYPE_IDS["ACTIVATED"]
    battery = unit.catalog.types["battery10"].part_type_id
    db.add_all(
        [
            DefaultEnergyLimit(
                battery_type_id=battery,
                state_type_id=activated,
                energy_limit=50,
                max_energy_limit=100,
                min_energy_limit=10,
            ),
            # The entity's own row wins over the row for every entity.
            DefaultEnergyLimit(
                battery_type_id=battery,
                state_type_id=activated,
                entity_id=entity.entity_id,
                energy_limit=60,
                max_energy_limit=80,
                min_energy_limit=20,
            ),
        ]
    )
    db.commit()
    unit.entity = entity
    return unit


def suggest(db, imei, value, scope=GLOBAL):
    result = energy_limit.suggest(db, scope, imei, value, utcnow())
    db.commit()
    return result


def pending_limits(db, imei):
    db.expire_all()
    return [
        (p.value, p.status)
        for p in db.scalars(
            select(Parameter).where(Parameter.product_imei == imei).order_by(Parameter.parameter_id)
        )
    ]


def test_bounded_and_queued(db, unit):
    inside = suggest(db, unit.imei, "50")
    assert (inside.applied, inside.bounded, inside.min_energy_limit, inside.max_energy_limit) == (
        50,
        False,
        20,
        80,
    )
    high = suggest(db, unit.imei, "500")
    assert (high.requested, high.applied, high.bounded, high.truncated) == (500, 80, True, False)
    low = suggest(db, unit.imei, " 1 ")
    assert (low.applied, low.bounded) == (20, True)
    assert pending_limits(db, unit.imei) == [("50.0", "expired"), ("80.0", "expired"), ("20.0", "pending")]
    again = suggest(db, unit.imei, "20")  # the same limit again: nothing written
    assert not again.changed and len(pending_limits(db, unit.imei)) == 3


def test_truncated_to_the_cap(db, unit):
    cap = energy_limit.energy_type(db, energy_limit.ENERGY_LIMIT_CAP)
    store.request(db, GLOBAL, store.PRODUCT, unit.imei, cap.parameter_type_id, "30", utcnow())
    result = suggest(db, unit.imei, "70")
    assert (result.applied, result.truncated, result.bounded, result.energy_limit_cap) == (30, True, True, 30)
    assert result.data()["applied"] == 30


def test_refusals(db, unit):
    with pytest.raises(ValidationFailed):
        suggest(db, unit.imei, "lots")
    with pytest.raises(NotFound):
        suggest(db, unit.imei, "50", UnitScope(entity_id=unit.entity.entity_id + 1000))
    db.rollback()
    move_to(db, unit.product, "IN_REPAIR_SYSTEM")
    with pytest.raises(BadRequest, match="No default_energy_limit"):  # no row for this state
        suggest(db, unit.imei, "50")
    db.rollback()
    move_to(db, unit.product, "TERMINATED")
    with pytest.raises(BadRequest, match="TERMINATED"):
        suggest(db, unit.imei, "50")
    db.rollback()
    assert pending_limits(db, unit.imei) == []


def test_refused_when_total_accessory_energy_is_set(db, unit):
    accessories = energy_limit.energy_type(db, energy_limit.TOTAL_ACCESSORY_ENERGY)
    store.request(db, GLOBAL, store.PRODUCT, unit.imei, accessories.parameter_type_id, "12", utcnow())
    db.commit()
    with pytest.raises(BadRequest, match="total_accessory_energy"):
        suggest(db, unit.imei, "50")
