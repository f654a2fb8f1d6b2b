"""Each flow driven from get_repair to its outcome through the HTTP API, in English and in French:
the screens, the database effects, and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowExecutionStatus

from api.i18n import Translator
from db.models.history import State
from db.models.parts import Part, PartProductLinker
from db.models.product import Product
from db.models.repair import (
    Repair,
    RepairPartTypeLinker,
    RepairSymptomTypeLinker,
    RepairWorkflowEvent,
    RepairWorkflowHistory,
    RepairWorkflowState,
)
from repair_flows import FLOWS
from repair_flows.spec import Flow
from tests.utils.repair_data import RepairApi, RepairUnit, selector_rule, technician, unit_in_repair
from tests.utils.response_schema import assert_conforms

CONTROL_UNIT, BATTERY_SWAP = FLOWS["control_unit_repair"], FLOWS["battery_swap"]
# The doc's own French for the screen it shows, and a few more written out (not read from the catalog).
FRENCH_NAMES = {
    "replace_pcb": "Remplacer le PCB",
    "usb_diag_test": "Test de diagnostic USB",
    "visual_inspection": "Inspection visuelle",
    "refurbished": "Remis à neuf",
    "terminated": "Hors service",
}


async def expect_screen(api: RepairApi, repair_id: int, flow: Flow, ident: str, tr: Translator) -> dict:
    """current_state shows `ident` in the doc's shape and the request's language."""
    response = await api.current_state(repair_id)
    assert response.status_code == 200, response.text
    body = assert_conforms(response, "/v1/repairs/{repair_id}/current_state")
    assert body["status"] == "success" and body["message"] == tr.gettext("Repair found")
    data = body["data"]
    state = flow.state(ident)
    # The doc's keys, and what an app needs to offer Undo and end the repair.
    assert set(data) == {
        "ident",
        "name",
        "description",
        "inputs",
        "events",
        "finished",
        "can_undo",
        "undo_refusal",
    }
    assert data["ident"] == ident
    assert (data["name"], data["description"]) == (tr.gettext(state.name), tr.gettext(state.description))
    assert [(i["ident"], i["label"], i["data_type"]) for i in data["inputs"]] == [
        (i.ident, tr.gettext(i.label), i.data_type) for i in state.inputs
    ]
    assert data["events"] == [{"ident": e.ident, "label": tr.gettext(e.label)} for e in state.events]
    if tr.language == "fr" and ident in FRENCH_NAMES:
        assert data["name"] == FRENCH_NAMES[ident]
    return data


async def drive(api: RepairApi, repair_id: int, flow: Flow, tr: Translator, steps) -> list[dict]:
    """Walk `steps` ((state shown, kind, payload)); returns the screens seen."""
    screens = []
    for ident, kind, payload in steps:
        screens.append(await expect_screen(api, repair_id, flow, ident, tr))
        response = await (
            api.send_event(repair_id, payload) if kind == "event" else api.send_inputs(repair_id, payload)
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "success", "message": tr.gettext("Repair updated"), "data": {}}
    return screens


def options(screen: dict, ident: str) -> list:
    return [o["value"] for o in next(i for i in screen["inputs"] if i["ident"] == ident)["options"]]


def check_audit(db, repair: Repair, path: list[str], kinds: list[str]) -> None:
    """One event per step (from, what, to), one state row per state with contiguous times, the pointers."""
    events = db.scalars(
        select(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair.repair_id)
        .order_by(RepairWorkflowEvent.repair_workflow_event_id)
    ).all()
    assert [(e.current_state_id, e.event_id, e.next_state_id) for e in events] == list(
        zip(path, kinds, path[1:])
    )
    assert repair.latest_workflow_event_id == events[-1].repair_workflow_event_id
    assert repair.workflow_state_id == path[-1]
    states = db.scalars(
        select(RepairWorkflowState)
        .where(RepairWorkflowState.repair_id == repair.repair_id)
        .order_by(RepairWorkflowState.repair_workflow_state_id)
    ).all()
    assert [s.state_id for s in states] == path
    for before, after in zip(states, states[1:]):
        assert before.exit_time == after.entry_time and before.entry_time <= before.exit_time
    assert states[-1].exit_time is None
    history = db.scalars(
        select(RepairWorkflowHistory)
        .where(RepairWorkflowHistory.repair_id == repair.repair_id)
        .order_by(RepairWorkflowHistory.repair_workflow_history_id)
    ).all()
    assert [(h.start_state_id, h.end_state_id) for h in history] == list(zip(path, path[1:]))
    assert [h.can_undo for h in history] == [True] * (len(path) - 2) + [
        False
    ]  # the outcome closes the repair


def unit_state(db, unit: RepairUnit) -> tuple[int, int]:
    product = db.get(Product, unit.imei)
    state = db.get(State, product.latest_state_id)
    return state.prev_state_type, state.current_state_type


async def finish_checks(
    stack, api, db, repair_id: int, tr: Translator, flow: Flow, path: list[str]
) -> Repair:
    """The end: terminal screen, history in the doc's shape, workflow completed, no repair current."""
    final = await expect_screen(api, repair_id, flow, path[-1], tr)
    assert final["inputs"] == [] and final["events"] == []
    history = (await api.history(repair_id)).json()
    assert history["message"] == tr.gettext("Repair state found")
    assert history["data"] == [{"ident": i, "name": tr.gettext(flow.state(i).name)} for i in path]
    handle = stack.client.get_workflow_handle(f"repair/{repair_id}")
    assert await handle.result() == path[-1]
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
    assert (await api.list_current_states()).json()["data"] == []
    db.expire_all()
    return db.get(Repair, repair_id)


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_control_unit_repair_to_refurbished(stack, db, language):
    tr = Translator(language)
    unit = unit_in_repair(db)
    user, headers = technician(db)
    api = RepairApi(stack.http, headers, "fr-FR,fr;q=0.9,en;q=0.5" if language == "fr" else "en-GB")
    c = unit.catalog

    response = await api.get_repair(unit.imei)
    assert response.status_code == 200, response.text
    assert response.json()["message"] == tr.gettext("Repair created")
    repair_id = response.json()["data"]["repair_id"]
    assert response.json()["data"]["config"]["pass_capacity_mah"] == 8000
    again = (await api.get_repair(unit.imei)).json()
    assert again["message"] == tr.gettext("Repair found") and again["data"]["repair_id"] == repair_id

    steps = [
        (
            "ss_state_check",
            "inputs",
            {"arrival_date": "2024-03-01", "symptoms": [c.symptom_id("no_light"), c.symptom_id("no_charge")]},
        ),
        ("usb_diag_test", "inputs", {"usb_diag_result": "pcb_fault", "battery_voltage": 11.5}),
        (
            "replace_pcb",
            "inputs",
            {"replacement_part_type": c.id("tiger7"), "new_pcb_serial": "PCB-NEW-0001"},
        ),
        ("usb_diag_test", "inputs", {"usb_diag_result": "pass", "battery_voltage": 5.9}),
        ("explain_skip_btb", "event", "battery_test.skipped"),
        ("charge", "event", "battery.charged"),
        ("clean", "event", "unit.cleaned"),
        (
            "visual_inspection",
            "inputs",
            {"casing_damaged": "yes", "inspection_notes": "Crack near the USB port"},
        ),
        ("select_damaged_casing", "inputs", {"damaged_parts": [c.id("top_casing")]}),
        ("capacity_test", "inputs", {"measured_capacity_mah": 8500}),
        ("refurbish", "inputs", {"refurb_date": "2024-03-05", "final_state_of_charge": 50}),
    ]
    screens = await drive(api, repair_id, CONTROL_UNIT, tr, steps)
    # Options come from the database: symptoms of the product type, replacements of the fitted parts.
    assert sorted(options(screens[0], "symptoms")) == sorted(s.symptom_type_id for s in c.symptoms.values())
    assert options(screens[2], "replacement_part_type") == [c.id("tiger7"), c.id("tiger2"), c.id("tiger6")]
    assert next(i for i in screens[2]["inputs"] if i["ident"] == "replacement_part_type")["options"][0][
        "label"
    ] == ("BBOXX Home 2 PCB (Tiger 7)")
    assert sorted(options(screens[8], "damaged_parts")) == sorted([c.id("top_casing"), c.id("button_cap")])
    assert next(i for i in screens[1]["inputs"] if i["ident"] == "battery_voltage")["validation_rules"] == {
        "min": 0.0,
        "max": 15.0,
        "step": 0.01,
    }

    path = [s[0] for s in steps] + ["refurbished"]
    repair = await finish_checks(stack, api, db, repair_id, tr, CONTROL_UNIT, path)
    assert (repair.process, repair.outcome, repair.pending_status) == (
        "Repair and Return",
        "refurbished",
        False,
    )
    assert (repair.arrival_date, repair.refurbishment_date) == (date(2024, 3, 1), date(2024, 3, 5))
    assert repair.measured_battery_capacity == 8500.0 and repair.created_by == user.username
    assert unit_state(db, unit) == (8, 5)  # IN_REPAIR_SYSTEM -> ACTIVATED
    symptoms = db.scalars(
        select(RepairSymptomTypeLinker.symptom_type_id).where(RepairSymptomTypeLinker.repair_id == repair_id)
    )
    assert sorted(symptoms) == sorted([c.symptom_id("no_light"), c.symptom_id("no_charge")])

    # The PCB swap: old linker closed by this repair, new one added by it and naming what it replaced.
    old = db.scalar(
        select(PartProductLinker).where(PartProductLinker.part_id == unit.parts["tiger2"].part_id)
    )
    assert old.date_removed is not None and old.removed_repair_id == repair_id
    new_pcb = db.scalar(select(Part).where(Part.serial_number == "PCB-NEW-0001"))
    assert new_pcb.part_type_id == c.id("tiger7")
    new = db.scalar(select(PartProductLinker).where(PartProductLinker.part_id == new_pcb.part_id))
    assert (new.product_imei, new.added_repair_id, new.replaced_part_id, new.date_removed) == (
        unit.imei,
        repair_id,
        unit.parts["tiger2"].part_id,
        None,
    )
    swaps = db.scalars(
        select(RepairPartTypeLinker)
        .where(RepairPartTypeLinker.repair_id == repair_id)
        .order_by(RepairPartTypeLinker.repair_part_type_linker_id)
    ).all()
    assert [(s.old_part_type_id, s.new_part_type_id, s.non_transferable) for s in swaps] == [
        (c.id("tiger2"), c.id("tiger7"), False),
        (c.id("top_casing"), c.id("top_casing"), False),
    ]
    events = ["inputs"] * 4 + ["battery_test.skipped", "battery.charged", "unit.cleaned"] + ["inputs"] * 4
    check_audit(db, repair, path, events)
    first = db.scalar(
        select(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair_id)
        .order_by(RepairWorkflowEvent.repair_workflow_event_id)
        .limit(1)
    )
    assert first.payload == steps[0][2] and first.created_by == user.username

    finished = await api.get_repair(unit.imei)
    assert finished.status_code == 400 and "IN_REPAIR_SYSTEM" in finished.json()["message"]


async def test_control_unit_repair_to_terminated_in_french(stack, db):
    tr = Translator("fr")
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers, "fr")
    c = unit.catalog
    repair_id = await api.open(unit.imei)
    reason = "Le boîtier a fondu près du port de charge : irréparable."
    steps = [
        ("ss_state_check", "inputs", {"arrival_date": "2024-03-01T08:30:00Z"}),
        ("usb_diag_test", "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.4}),
        ("battery_test", "inputs", {"battery_test_result": "fail"}),
        (
            "replace_battery",
            "inputs",
            {"replacement_part_type": c.id("battery10"), "new_part_serial": "BAT-000123"},
        ),
        ("charge", "event", "battery.charged"),
        ("clean", "event", "unit.cleaned"),
        ("visual_inspection", "inputs", {"casing_damaged": "no"}),
        ("capacity_test", "inputs", {"measured_capacity_mah": 5000}),
        ("capacity_failed", "inputs", {"capacity_decision": "terminate"}),
        ("terminate_unit", "inputs", {"termination_reason": reason, "process": "Broken on Arrival"}),
    ]
    screens = await drive(api, repair_id, CONTROL_UNIT, tr, steps)
    assert [o["label"] for o in screens[2]["inputs"][0]["options"]] == ["Réussi", "Échoué"]
    assert options(screens[3], "replacement_part_type") == [c.id("battery10"), c.id("battery12")]

    path = [s[0] for s in steps] + ["terminated"]
    repair = await finish_checks(stack, api, db, repair_id, tr, CONTROL_UNIT, path)
    assert (repair.process, repair.outcome, repair.measured_battery_capacity) == (
        "Broken on Arrival",
        "terminated",
        5000.0,
    )
    assert repair.context["termination_reason"] == reason
    assert unit_state(db, unit) == (8, 9)  # IN_REPAIR_SYSTEM -> TERMINATED
    battery = db.scalar(select(Part).where(Part.serial_number == "BAT-000123"))
    linker = db.scalar(select(PartProductLinker).where(PartProductLinker.part_id == battery.part_id))
    assert (linker.added_repair_id, linker.replaced_part_id) == (repair_id, unit.parts["battery10"].part_id)
    check_audit(db, repair, path, ["inputs"] * 4 + ["battery.charged", "unit.cleaned"] + ["inputs"] * 4)


@pytest.mark.parametrize(
    "language, result, outcome", [("en", "pass", "refurbished"), ("fr", "fail", "terminated")]
)
async def test_battery_swap_flow(stack, db, language, result, outcome):
    tr = Translator(language)
    unit = unit_in_repair(db)
    user, headers = technician(db)
    selector_rule(db, unit, "USER", user.username, "battery_swap")
    api = RepairApi(stack.http, headers, language)
    repair_id = await api.open(unit.imei)
    c = unit.catalog
    steps = [
        ("swap_intake", "inputs", {"arrival_date": "2024-04-02", "symptoms": [c.symptom_id("no_charge")]}),
        (
            "replace_battery",
            "inputs",
            {"replacement_part_type": c.id("battery10"), "new_part_serial": "BAT-SWAP-01"},
        ),
        ("charge", "event", "battery.charged"),
        ("load_test", "inputs", {"load_test_result": result, "battery_voltage": 6.6}),
    ]
    if outcome == "refurbished":
        steps.append(("refurbish", "inputs", {"refurb_date": "2024-04-03", "final_state_of_charge": 75}))
    else:
        reason = "La batterie neuve ne tient pas la charge."
        steps.append(("terminate_unit", "inputs", {"termination_reason": reason, "process": "Replaced"}))
    await drive(api, repair_id, BATTERY_SWAP, tr, steps)
    path = [s[0] for s in steps] + [outcome]
    repair = await finish_checks(stack, api, db, repair_id, tr, BATTERY_SWAP, path)
    assert (repair.workflow_name, repair.outcome) == ("battery_swap", outcome)
    assert unit_state(db, unit) == (8, 5 if outcome == "refurbished" else 9)
    assert db.scalar(select(Part).where(Part.serial_number == "BAT-SWAP-01")) is not None
    check_audit(db, repair, path, ["inputs", "inputs", "battery.charged", "inputs", "inputs"])
