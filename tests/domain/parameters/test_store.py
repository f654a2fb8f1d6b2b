"""Parameters as pending changes: request -> pending, a later value expires it, the unit's report makes
it active and the old one removed; part parameters the same; the history as the unit saw it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.clock import utcnow
from db.models.parts import PartParameter
from db.models.product import Product
from db.models.software import Parameter
from domain.device import pending
from domain.device.models import ReportedParameter
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.parameters import store
from domain.parameters.history import parameter_history
from domain.scope import UnitScope
from tests.utils.factories import make_entity, make_parameter_type, make_product
from tests.utils.repair_data import unit_in_repair

GLOBAL = UnitScope(entity_id=None)
T0 = utcnow().replace(microsecond=0)


def rows(db, model=Parameter):
    db.expire_all()
    key = store.PRODUCT.id_key if model is Parameter else store.PART.id_key
    return [
        (r.value, r.status, r.date_added, r.date_removed)
        for r in db.scalars(select(model).order_by(getattr(model, key)))
    ]


def ask(db, owner, kind, value, at, where=store.PRODUCT):
    outcome = store.request(db, GLOBAL, where, owner, kind.parameter_type_id, value, at)
    db.commit()
    return outcome


def report(db, imei, kind, value, at, part_id=None):
    item = ReportedParameter(parameter_type=kind.name, value=value, part_id=part_id)
    settled = store.record_reported(db, imei, [item], at)
    db.commit()
    return settled


def test_pending_then_active_then_removed(db):
    imei = make_product(db).product_imei
    kind = make_parameter_type(db, rules={"min": 0, "max": 100})
    t1, t2, t3, t4 = (T0 + timedelta(minutes=m) for m in (1, 2, 3, 4))
    first = ask(db, imei, kind, "10", t1)
    assert first.changed and rows(db) == [("10", "pending", None, None)]
    waiting = pending.load(db, db.get(Product, imei))
    assert not waiting.empty
    assert [(p.parameter_type, p.value) for p in waiting.parameters] == [(kind.name, "10")]
    assert report(db, imei, kind, "10.0", t2)  # "10.0" is the same float
    assert rows(db) == [("10", "active", t2, None)]
    ask(db, imei, kind, "20", t3)
    assert report(db, imei, kind, "20", t4)
    assert rows(db) == [("10", "removed", t2, t4), ("20", "active", t4, None)]
    assert store.pending_parameters(db, imei) == []


def test_a_later_value_expires_the_pending_one_and_repeats_write_nothing(db):
    imei = make_product(db).product_imei
    kind = make_parameter_type(db)
    t1, t2 = T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)
    ask(db, imei, kind, "5", t1)
    again = ask(db, imei, kind, "5", t1)
    assert not again.changed
    ask(db, imei, kind, "6", t2)
    assert rows(db) == [("5", "expired", t2, t2), ("6", "pending", None, None)]
    # The unit reports the expired value it never got: nothing pending settles; it is what the unit runs.
    assert not report(db, imei, kind, "4", t2)
    assert rows(db)[-1] == ("4", "active", t2, None)
    assert [p.value for p in store.pending_parameters(db, imei)] == ["6"]
    # Asking for the active value expires the pending one and writes no new row.
    outcome = ask(db, imei, kind, "4", t2)
    assert outcome.changed and outcome.row.status == "active"
    assert [r[1] for r in rows(db)] == ["expired", "expired", "active"]


def test_put_of_a_pending_one_replaces_it(db):
    imei = make_product(db).product_imei
    kind = make_parameter_type(db, repeatable=True)
    first = ask(db, imei, kind, "1", T0)
    changed = store.change_pending(db, GLOBAL, store.PRODUCT, first.row.parameter_id, "2", T0)
    db.commit()
    assert changed.changed and changed.row.parameter_id != first.row.parameter_id
    assert rows(db) == [("1", "expired", T0, T0), ("2", "pending", None, None)]
    with pytest.raises(Conflict):
        store.change_pending(db, GLOBAL, store.PRODUCT, first.row.parameter_id, "3", T0)
    with pytest.raises(NotFound):
        store.change_pending(db, GLOBAL, store.PRODUCT, 999999, "3", T0)


def test_refusals(db):
    entity, other = make_entity(db), make_entity(db)
    imei = make_product(db, entity=other).product_imei
    kind = make_parameter_type(db, data_type="int", rules={"max": 3})
    with pytest.raises(ValidationFailed) as err:
        ask(db, imei, kind, "4", T0)
    assert err.value.validation_errors["rule"] == "max"
    with pytest.raises(NotFound):  # another entity's unit
        store.request(
            db, UnitScope(entity_id=entity.entity_id), store.PRODUCT, imei, kind.parameter_type_id, "1", T0
        )
    db.rollback()
    with pytest.raises(ValidationFailed):
        store.request(db, GLOBAL, store.PRODUCT, imei, 999999, "1", T0)
    db.rollback()
    assert rows(db) == []


def test_part_parameters_and_cancel(db):
    unit = unit_in_repair(db, in_repair=False)
    battery = unit.parts["battery10"].part_id
    kind = make_parameter_type(db)
    ask(db, battery, kind, "7", T0, where=store.PART)
    ask(db, unit.imei, kind, "8", T0)
    offered = store.pending_parameters(db, unit.imei)
    assert [(p.part_id, p.value) for p in offered] == [(None, "8"), (battery, "7")]
    assert report(db, unit.imei, kind, "7", T0 + timedelta(minutes=1), part_id=battery)
    assert rows(db, PartParameter) == [("7", "active", T0 + timedelta(minutes=1), None)]
    t = T0 + timedelta(minutes=2)
    assert store.expire_pending(db, unit.imei, t) == 1
    db.commit()
    assert rows(db) == [("8", "expired", t, t)]


def test_history_in_full_and_at_a_date(db):
    unit = unit_in_repair(db, in_repair=False)
    battery = unit.parts["battery10"].part_id
    kind = make_parameter_type(db)
    t = [T0 + timedelta(minutes=m) for m in range(8)]
    ask(db, unit.imei, kind, "5", t[0])
    ask(db, unit.imei, kind, "6", t[1])  # 5 expires
    report(db, unit.imei, kind, "6", t[2])
    ask(db, unit.imei, kind, "7", t[3])
    report(db, unit.imei, kind, "7", t[4])  # 6 removed
    ask(db, battery, kind, "1", t[0], where=store.PART)
    report(db, unit.imei, kind, "1", t[1], part_id=battery)

    full = parameter_history(db, GLOBAL, unit.imei)
    assert [(r.value, r.status) for r in full.product] == [
        ("5", "expired"),
        ("6", "removed"),
        ("7", "active"),
    ]
    assert sorted(full.parts) == sorted(p.part_id for p in unit.parts.values())
    assert [(r.value, r.status) for r in full.parts[battery]] == [("1", "active")]

    between = parameter_history(db, GLOBAL, unit.imei, t[3])  # 6 was active then, 7 only pending
    assert [r.value for r in between.product] == ["6"]
    assert between.shown(between.product[0]) == {"status": "active", "date_removed": None}
    assert [r.value for r in between.parts[battery]] == ["1"]
    before = parameter_history(db, GLOBAL, unit.imei, t[0])
    assert before.product == [] and before.parts[battery] == []
