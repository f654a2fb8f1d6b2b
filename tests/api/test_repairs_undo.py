"""PUT /v1/repairs/<id>/undo: back one state, the undone step's database effects reverted exactly."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.parts import Part, PartProductLinker
from db.models.repair import (
    Repair,
    RepairPartTypeLinker,
    RepairSymptomTypeLinker,
    RepairWorkflowEvent,
    RepairWorkflowHistory,
)
from domain.repairs.undo import decode
from tests.utils.repair_data import RepairApi, RepairUnit, selector_rule, technician, unit_in_repair


def rows(db: Session, model) -> list[dict]:
    """Every column of every row, in key order: what "restored exactly" is compared on."""
    table = model.__table__
    db.expire_all()
    return [dict(r._mapping) for r in db.execute(select(table).order_by(*table.primary_key.columns))]


def snapshot(db: Session) -> dict[str, list[dict]]:
    return {
        m.__tablename__: rows(db, m)
        for m in (PartProductLinker, Part, RepairPartTypeLinker, RepairSymptomTypeLinker)
    }


def count(db: Session, model, repair_id: int) -> int:
    return db.scalar(select(func.count()).select_from(model).where(model.repair_id == repair_id))


async def at_replace_pcb(api: RepairApi, unit: RepairUnit) -> int:
    repair_id = await api.open(unit.imei)
    await api.step(
        repair_id, "inputs", {"arrival_date": "2024-03-01", "symptoms": [unit.catalog.symptom_id("no_light")]}
    )
    await api.step(repair_id, "inputs", {"usb_diag_result": "pcb_fault", "battery_voltage": 11.0})
    assert await api.ident(repair_id) == "replace_pcb"
    return repair_id


async def test_undoing_a_part_replacement_restores_part_product_linker_exactly(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers)
    repair_id = await at_replace_pcb(api, unit)
    before = snapshot(db)
    screen_before = (await api.current_state(repair_id)).json()["data"]

    await api.step(
        repair_id,
        "inputs",
        {"replacement_part_type": unit.catalog.id("tiger7"), "new_pcb_serial": "PCB-UNDO-01"},
    )
    after = snapshot(db)
    assert after != before
    assert len(after["part_product_linker"]) == len(before["part_product_linker"]) + 1
    old = next(r for r in after["part_product_linker"] if r["part_id"] == unit.parts["tiger2"].part_id)
    assert old["date_removed"] is not None and old["modified_at"] is not None
    step = db.scalars(
        select(RepairWorkflowHistory)
        .where(RepairWorkflowHistory.repair_id == repair_id)
        .order_by(RepairWorkflowHistory.repair_workflow_history_id.desc())
    ).first()
    assert (step.start_state_id, step.end_state_id, step.can_undo) == ("replace_pcb", "usb_diag_test", True)
    step_id = step.repair_workflow_history_id
    assert {(op.op, op.table) for op in decode(step.update_commands_bin)} == {
        ("restore", "part_product_linker"),
        ("delete", "part"),
        ("delete", "part_product_linker"),
        ("delete", "repair_part_type_linker"),
    }

    response = await api.undo(repair_id)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "success",
        "message": "Step undone",
        "data": {"ident": "replace_pcb"},
    }
    assert snapshot(db) == before  # every column, meta columns included
    assert (await api.current_state(repair_id)).json()["data"] == screen_before
    assert db.get(RepairWorkflowHistory, step_id) is None
    undo_event = db.scalars(
        select(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair_id)
        .order_by(RepairWorkflowEvent.repair_workflow_event_id.desc())
    ).first()
    assert (undo_event.current_state_id, undo_event.event_id, undo_event.next_state_id) == (
        "usb_diag_test",
        "undo",
        "replace_pcb",
    )
    assert undo_event.payload == {"undone_history_id": step_id}
    repair = db.get(Repair, repair_id)
    assert (repair.workflow_state_id, repair.latest_workflow_event_id) == (
        "replace_pcb",
        undo_event.repair_workflow_event_id,
    )

    # The serial the undone step used is free again.
    await api.step(
        repair_id,
        "inputs",
        {"replacement_part_type": unit.catalog.id("tiger6"), "new_pcb_serial": "PCB-UNDO-01"},
    )
    assert await api.ident(repair_id) == "usb_diag_test"


async def test_undo_is_refused_with_the_reason_where_a_step_cannot_be_reverted(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api, french = RepairApi(stack.http, headers), RepairApi(stack.http, headers, "fr-CA")
    repair_id = await api.open(unit.imei)
    await api.step(repair_id, "inputs", {"arrival_date": "2024-03-01"})
    await api.step(repair_id, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.2})
    await api.step(repair_id, "inputs", {"battery_test_result": "fail"})
    await api.step(
        repair_id,
        "inputs",
        {"replacement_part_type": unit.catalog.id("battery12"), "new_part_serial": "SEALED-0001"},
    )
    step = db.scalars(
        select(RepairWorkflowHistory)
        .where(RepairWorkflowHistory.repair_id == repair_id)
        .order_by(RepairWorkflowHistory.repair_workflow_history_id.desc())
    ).first()
    assert step.can_undo is False
    before = snapshot(db)
    handle = stack.client.get_workflow_handle(f"repair/{repair_id}")
    events_before = [e.event_id async for e in handle.fetch_history_events()]

    response = await api.undo(repair_id)
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert response.json()["message"] == (
        "The new LiFePO4 6.4V 12Ah (sealed) is non-transferable: once fitted it cannot be taken out, "
        "so this step cannot be undone."
    )
    in_french = (await french.undo(repair_id)).json()["message"]
    assert in_french.startswith("La nouvelle pièce LiFePO4 6.4V 12Ah (sealed) est non transférable")
    assert await api.ident(repair_id) == "charge"
    assert snapshot(db) == before
    assert [e.event_id async for e in handle.fetch_history_events()] == events_before  # refused: no trace


async def test_several_undos_walk_back_several_steps(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers)
    before = snapshot(db)
    repair_id = await api.open(unit.imei)
    await api.step(
        repair_id,
        "inputs",
        {"arrival_date": "2024-03-01", "symptoms": [unit.catalog.symptom_id("no_charge")]},
    )
    await api.step(repair_id, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.2})
    await api.step(repair_id, "inputs", {"battery_test_result": "fail"})
    assert (
        db.get(Repair, repair_id).arrival_date is not None
        and count(db, RepairSymptomTypeLinker, repair_id) == 1
    )

    for expected in ("battery_test", "usb_diag_test", "ss_state_check"):
        response = await api.undo(repair_id)
        assert response.status_code == 200 and response.json()["data"] == {"ident": expected}
    assert [h["ident"] for h in (await api.history(repair_id)).json()["data"]] == ["ss_state_check"]
    db.expire_all()
    assert db.get(Repair, repair_id).arrival_date is None
    assert snapshot(db) == before
    assert count(db, RepairWorkflowHistory, repair_id) == 0
    assert count(db, RepairWorkflowEvent, repair_id) == 6

    nothing = await api.undo(repair_id)
    assert (nothing.status_code, nothing.json()["message"]) == (400, "There is nothing to undo.")
    assert (await RepairApi(stack.http, headers, "fr").undo(repair_id)).json()[
        "message"
    ] == "Il n'y a rien à annuler."


async def test_a_retried_undo_is_not_applied_twice(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers)
    repair_id = await api.open(unit.imei)
    await api.step(repair_id, "inputs", {"arrival_date": "2024-03-01"})
    await api.step(repair_id, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.2})

    for _ in range(2):  # the app shows battery_test and retries after losing the answer
        response = await api.undo(repair_id, {"state": "battery_test"})
        assert response.status_code == 200 and response.json()["data"] == {"ident": "usb_diag_test"}
    stale = await api.undo(repair_id, {"state": "clean"})
    assert stale.status_code == 400
    assert stale.json()["message"] == "The repair is in usb_diag_test, not clean: nothing was undone."
    for _ in range(2):  # or it sends an Idempotency-Key
        response = await api.undo(repair_id, **{"Idempotency-Key": "undo-42"})
        assert response.status_code == 200
    assert await api.ident(repair_id) == "ss_state_check"
    assert count(db, RepairWorkflowEvent, repair_id) == 4  # 2 steps + 2 undos
    assert (await api.undo(repair_id, {"state": 3})).status_code == 400


async def test_a_finished_repair_cannot_be_undone(stack, db):
    unit = unit_in_repair(db)
    user, headers = technician(db)
    selector_rule(db, unit, "USER", user.username, "battery_swap")
    api = RepairApi(stack.http, headers)
    repair_id = await api.open(unit.imei)
    await api.step(repair_id, "inputs", {"arrival_date": "2024-04-02"})
    await api.step(
        repair_id,
        "inputs",
        {"replacement_part_type": unit.catalog.id("battery10"), "new_part_serial": "BAT-END-01"},
    )
    await api.step(repair_id, "event", "battery.charged")
    await api.step(repair_id, "inputs", {"load_test_result": "pass", "battery_voltage": 6.5})
    await api.step(repair_id, "inputs", {"refurb_date": "2024-04-03", "final_state_of_charge": 100})
    await stack.client.get_workflow_handle(f"repair/{repair_id}").result()
    response = await api.undo(repair_id)
    assert response.status_code == 400
    assert response.json()["message"] == "This repair is finished."
    again = await api.send_inputs(repair_id, {"refurb_date": "2024-04-03", "final_state_of_charge": 100})
    assert again.status_code == 400 and again.json()["message"] == "This repair is finished."
