"""Applying steps to the database: exactly once per step, parts from stock, refusals that write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.clock import utcnow
from db.models.parts import Part, PartProductLinker
from db.models.repair import RepairWorkflowEvent
from domain.errors import BadRequest, Conflict
from domain.repairs.repairs import open_repair
from domain.repairs.steps import StepCommand, apply_step
from domain.scope import UnitScope
from repair_flows import FLOWS
from repair_flows.records import StepPlan
from tests.utils.repair_data import unit_in_repair

FLOW = FLOWS["control_unit_repair"]


def command(repair_id: int, seq: int, source: str, dest: str, payload: dict) -> StepCommand:
    effects = next(t for t in FLOW.transitions if t.source == source and t.dest == dest).effects
    plan = StepPlan(
        seq=seq, kind="inputs", source=source, dest=dest, trigger="inputs", payload=payload, effects=effects
    )
    return StepCommand(repair_id=repair_id, flow_name=FLOW.name, actor="tech", plan=plan)


@pytest.fixture
def repair(db):
    unit = unit_in_repair(db)
    opened = open_repair(db, UnitScope(None), unit.imei, "tech", utcnow())
    db.commit()
    apply_step(
        db,
        command(opened.repair_id, 1, "ss_state_check", "usb_diag_test", {"arrival_date": "2024-01-01"}),
        utcnow(),
    )
    apply_step(
        db,
        command(opened.repair_id, 2, "usb_diag_test", "replace_pcb", {"usb_diag_result": "pcb_fault"}),
        utcnow(),
    )
    db.commit()
    return unit, opened.repair_id


def events(db, repair_id: int) -> int:
    return db.scalar(
        select(func.count())
        .select_from(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair_id)
    )


def test_a_retried_activity_gets_the_recorded_outcome_without_applying_again(db, repair):
    unit, repair_id = repair
    step = command(
        repair_id,
        3,
        "replace_pcb",
        "usb_diag_test",
        {"replacement_part_type": unit.catalog.id("tiger7"), "new_pcb_serial": "PCB-ONCE-1"},
    )
    first = apply_step(db, step, utcnow())
    db.commit()
    again = apply_step(db, step, utcnow())
    assert again == first
    assert events(db, repair_id) == 3
    assert db.scalar(select(func.count()).select_from(Part).where(Part.serial_number == "PCB-ONCE-1")) == 1
    with pytest.raises(Conflict, match="is in usb_diag_test, not replace_pcb"):
        apply_step(db, step.model_copy(update={"plan": step.plan.model_copy(update={"seq": 4})}), utcnow())


def test_a_spare_part_from_stock_is_fitted_and_undo_keeps_it(db, repair):
    unit, repair_id = repair
    spare = Part(part_type_id=unit.catalog.id("tiger6"), serial_number="SPARE-0001")
    db.add(spare)
    db.commit()
    outcome = apply_step(
        db,
        command(
            repair_id,
            3,
            "replace_pcb",
            "usb_diag_test",
            {"replacement_part_type": unit.catalog.id("tiger6"), "new_pcb_serial": "SPARE-0001"},
        ),
        utcnow(),
    )
    db.commit()
    linker = db.scalar(select(PartProductLinker).where(PartProductLinker.part_id == spare.part_id))
    assert linker.added_repair_id == repair_id
    undo = StepPlan(
        seq=4,
        kind="undo",
        source="usb_diag_test",
        dest="replace_pcb",
        trigger="undo",
        undo_history_id=outcome.history_id,
    )
    apply_step(db, StepCommand(repair_id=repair_id, flow_name=FLOW.name, actor="tech", plan=undo), utcnow())
    db.commit()
    assert db.get(Part, spare.part_id) is not None  # in stock again, not deleted
    assert db.scalar(select(PartProductLinker).where(PartProductLinker.part_id == spare.part_id)) is None


@pytest.mark.parametrize("case", ["fitted elsewhere", "wrong type", "not a replacement"])
def test_refused_replacements_write_nothing(db, repair, case):
    unit, repair_id = repair
    other = unit_in_repair(db)
    serial, part_type = {
        "fitted elsewhere": (other.parts["tiger2"].serial_number, "tiger2"),
        "wrong type": (other.parts["battery10"].serial_number, "tiger7"),
        "not a replacement": ("PCB-X", "battery10"),
    }[case]
    with pytest.raises(BadRequest):
        apply_step(
            db,
            command(
                repair_id,
                3,
                "replace_pcb",
                "usb_diag_test",
                {"replacement_part_type": unit.catalog.id(part_type), "new_pcb_serial": serial},
            ),
            utcnow(),
        )
    db.rollback()
    assert events(db, repair_id) == 2
