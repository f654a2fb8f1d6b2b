"""The engine's decisions and the runner's rules (duplicates, undo), without any server."""

from __future__ import annotations

import pytest

from repair_flows import FLOWS
from repair_flows.engine import FlowEngine
from repair_flows.i18n import msg
from repair_flows.records import RepairRun, StepOutcome, Submission, UndoRequest
from repair_flows.runner import FlowRunner, Rejected
from repair_flows.spec import Option

FLOW = FLOWS["control_unit_repair"]


def runner(product_type: str = "BB17SMART_v2", state: str | None = None) -> FlowRunner:
    run = RepairRun(
        repair_id=1,
        flow_name=FLOW.name,
        product_imei="1",
        config=FLOW.config_for(product_type),
        state=state or FLOW.initial,
        ready=True,
        options={
            "symptoms": [Option(value=1, label="Lights")],
            "replacement_part_type": [Option(value=61, label="Tiger 7")],
        },
    )
    return FlowRunner(FLOW, run)


def step(r: FlowRunner, kind: str, payload: dict, key: str | None = None, **outcome) -> str:
    plan = r.plan(Submission(kind=kind, payload=payload, actor="t", request_key=key))
    r.record(plan, StepOutcome(event_id=plan.seq, history_id=plan.seq, **outcome), key)
    return r.run.state


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"usb_diag_result": "pcb_fault", "battery_voltage": 12.0}, "replace_pcb"),
        ({"usb_diag_result": "no_response", "battery_voltage": 12.0}, "terminate_unit"),
        ({"usb_diag_result": "pass", "battery_voltage": 5.5}, "explain_skip_btb"),
        ({"usb_diag_result": "pass", "battery_voltage": 12.0}, "battery_test"),
    ],
)
def test_usb_diag_test_branches_on_its_inputs(values, expected):
    transition = FlowEngine(FLOW).decide("usb_diag_test", "inputs", values, FLOW.config_for("BB17SMART_v2"))
    assert transition.dest == expected


@pytest.mark.parametrize(
    "product_type, capacity, expected",
    [
        ("BB17SMART_v1", 7500, "refurbish"),  # v1 passes at 7000 mAh
        ("BB17SMART_v2", 7500, "capacity_failed"),  # v2 needs 8000
        ("BB17SMART_v2", 8000, "refurbish"),
    ],
)
def test_capacity_threshold_comes_from_the_product_types_config(product_type, capacity, expected):
    r = runner(product_type, state="capacity_test")
    assert step(r, "inputs", {"measured_capacity_mah": capacity}) == expected


def test_an_event_moves_only_where_it_is_allowed():
    r = runner(state="charge")
    with pytest.raises(Rejected) as refused:
        r.plan(Submission(kind="event", payload={"event": "unit.cleaned"}, actor="t"))
    assert refused.value.errors["event"].params == {"event": "unit.cleaned"}
    with pytest.raises(Rejected):
        r.plan(Submission(kind="event", payload={"event": "battery.charged", "extra": 1}, actor="t"))
    with pytest.raises(Rejected) as no_inputs:
        r.plan(Submission(kind="inputs", payload={"x": 1}, actor="t"))
    assert no_inputs.value.errors["inputs"].msgid == "This step takes no inputs."
    assert step(r, "event", {"event": "battery.charged"}) == "clean"


def test_the_same_submission_right_after_it_was_applied_is_a_duplicate():
    r = runner()
    payload = {"arrival_date": "2024-01-01", "symptoms": [1]}
    step(r, "inputs", payload)
    assert r.duplicate_of(Submission(kind="inputs", payload=payload, actor="t")) is r.run.steps[-1]
    assert r.duplicate_of(Submission(kind="inputs", payload={**payload, "symptoms": []}, actor="t")) is None


def test_an_idempotency_key_is_applied_once_wherever_the_repair_went():
    r = runner()
    step(r, "inputs", {"arrival_date": "2024-01-01"}, key="k1")
    step(r, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.0}, key="k2")
    retry = Submission(kind="inputs", payload={"arrival_date": "2024-01-01"}, actor="t", request_key="k1")
    assert r.duplicate_of(retry).request_key == "k1"
    assert r.duplicate_of(retry.model_copy(update={"request_key": "k3"})) is None


def test_undo_walks_back_and_the_history_forgets_undone_steps():
    r = runner()
    step(r, "inputs", {"arrival_date": "2024-01-01"})
    step(r, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.0})
    assert [s.ident for s in r.history()] == ["ss_state_check", "usb_diag_test", "battery_test"]
    for expected in ("usb_diag_test", "ss_state_check"):
        plan = r.plan_undo(UndoRequest(actor="t"))
        r.record_undo(plan, StepOutcome(event_id=0))
        assert r.run.state == expected
    assert [s.ident for s in r.history()] == ["ss_state_check"]
    assert r.run.values() == {}
    with pytest.raises(Rejected, match="nothing to undo"):
        r.plan_undo(UndoRequest(actor="t"))


def test_undo_is_refused_with_the_steps_reason_and_a_retried_undo_is_recognised():
    r = runner()
    reason = msg("The new %(part_type)s is non-transferable", part_type="X")
    step(r, "inputs", {"arrival_date": "2024-01-01"}, can_undo=False, undo_refusal=reason)
    with pytest.raises(Rejected) as refused:
        r.plan_undo(UndoRequest(actor="t"))
    assert refused.value.message == reason
    step(r, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.0})
    r.record_undo(r.plan_undo(UndoRequest(actor="t", expected_state="battery_test")), StepOutcome(event_id=0))
    retry = UndoRequest(actor="t", expected_state="battery_test")
    assert r.undo_repeats(retry)
    with pytest.raises(Rejected, match="not battery_test"):
        r.plan_undo(retry)


def test_a_finished_repair_takes_nothing_more():
    r = runner(state="refurbish")
    step(r, "inputs", {"refurb_date": "2024-02-01", "final_state_of_charge": 50})
    assert r.finished and r.view().finished
    with pytest.raises(Rejected, match="finished"):
        r.plan(Submission(kind="inputs", payload={"x": 1}, actor="t"))
    with pytest.raises(Rejected, match="finished"):
        r.plan_undo(UndoRequest(actor="t"))


def test_the_view_fills_database_options_in():
    view = runner(state="replace_pcb").view()
    choice = next(i for i in view.inputs if i.ident == "replacement_part_type")
    assert [o.value for o in choice.options] == [61]
    assert choice.options_source is not None


def test_not_ready_until_the_first_options_are_loaded():
    r = runner()
    r.run.ready = False
    with pytest.raises(Rejected, match="still starting"):
        r.plan(Submission(kind="inputs", payload={"arrival_date": "2024-01-01"}, actor="t"))


def test_the_view_says_whether_undo_would_work_and_why_not():
    r = runner()
    assert r.view().undo_refusal.msgid == "There is nothing to undo."
    step(r, "inputs", {"arrival_date": "2024-01-01"})
    assert r.view().undo_refusal is None
    reason = msg("The new %(part_type)s is non-transferable", part_type="X")
    step(
        r, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.0}, can_undo=False, undo_refusal=reason
    )
    assert r.view().undo_refusal == reason
    finished = runner(state="refurbish")
    step(finished, "inputs", {"refurb_date": "2024-02-01", "final_state_of_charge": 50})
    assert finished.view().undo_refusal.msgid.startswith("This repair is finished")
