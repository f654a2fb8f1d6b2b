"""The shipped flows are well-formed data: doc states present, every input type used, effects known."""

from __future__ import annotations

import inspect

import pytest

from domain.repairs.effects import EFFECTS
from repair_flows import FLOWS, default_flow_for, get_flow
from repair_flows.spec import INPUTS, EventSpec, Flow, InputSpec, Option, StateSpec, TransitionSpec

CONTROL_UNIT = FLOWS["control_unit_repair"]
BATTERY_SWAP = FLOWS["battery_swap"]


def reachable(flow: Flow, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        state = todo.pop()
        if state not in seen:
            seen.add(state)
            todo += [t.dest for t in flow.transitions if t.source == state]
    return seen


def test_control_unit_flow_has_the_docs_states_and_outcomes():
    doc_states = {
        "ss_state_check",
        "usb_diag_test",
        "battery_test",
        "explain_skip_btb",
        "charge",
        "clean",
        "visual_inspection",
        "select_damaged_casing",
        "replace_pcb",
        "capacity_test",
    }
    assert doc_states <= set(CONTROL_UNIT.states)
    assert len(CONTROL_UNIT.states) >= 12
    assert [e.ident for e in CONTROL_UNIT.state("charge").events] == ["battery.charged"]
    outcomes = {s.outcome for s in CONTROL_UNIT.states.values() if s.is_terminal}
    assert outcomes == {"refurbished", "terminated"}
    assert {"BB17SMART_v1", "BB17SMART_v2", "BBOXX Home 2"} <= set(CONTROL_UNIT.product_types)


def test_control_unit_flow_uses_every_input_type_and_both_selection_kinds():
    inputs = [i for s in CONTROL_UNIT.states.values() for i in s.inputs]
    assert {i.data_type for i in inputs} == {"int", "float", "string", "text", "datetime", "selection"}
    assert {i.selection_type for i in inputs if i.data_type == "selection"} == {"single", "multi"}
    rules = {rule for i in inputs for rule in i.validation_rules}
    assert {"min", "max", "step", "options", "minlength", "maxlength"} <= rules


def test_control_unit_flow_branches_on_inputs():
    branching = {t.source for t in CONTROL_UNIT.transitions if t.conditions}
    assert {
        "usb_diag_test",
        "battery_test",
        "visual_inspection",
        "capacity_test",
        "capacity_failed",
    } <= branching


def test_battery_swap_is_the_shorter_flow_and_is_chosen_only_by_rule():
    assert len(BATTERY_SWAP.states) < len(CONTROL_UNIT.states)
    assert BATTERY_SWAP.product_types == ()
    assert default_flow_for("BB17SMART_v2") is CONTROL_UNIT
    assert default_flow_for("unknown type") is None
    assert get_flow("battery_swap") is BATTERY_SWAP and get_flow("nope") is None


@pytest.mark.parametrize("flow", FLOWS.values(), ids=FLOWS.keys())
def test_every_state_is_reachable_and_leads_to_an_outcome(flow: Flow):
    assert reachable(flow, flow.initial) == set(flow.states)
    for ident in flow.states:
        assert any(flow.state(s).is_terminal for s in reachable(flow, ident)), ident


@pytest.mark.parametrize("flow", FLOWS.values(), ids=FLOWS.keys())
def test_effects_are_known_and_their_inputs_exist_in_the_source_state(flow: Flow):
    for transition in flow.transitions:
        source = flow.state(transition.source)
        for effect in transition.effects:
            assert effect.name in EFFECTS, effect.name
            inspect.signature(EFFECTS[effect.name]).bind(None, **effect.params)  # raises on a bad param
            for key, value in effect.params.items():
                if key.endswith("input"):
                    assert source.input(value) is not None, (transition.source, value)


@pytest.mark.parametrize("flow", FLOWS.values(), ids=FLOWS.keys())
def test_replacement_choices_come_from_the_database(flow: Flow):
    for transition in flow.transitions:
        for effect in transition.effects:
            if effect.name == "replace_part":
                spec = flow.state(transition.source).input(effect.params["part_type_input"])
                assert spec.options == () and spec.options_source.name == "replacement_part_types"


def test_outcome_transitions_close_the_repair():
    for flow in FLOWS.values():
        into_terminal = [t for t in flow.transitions if flow.state(t.dest).is_terminal]
        assert into_terminal and all(any(e.name == "close_repair" for e in t.effects) for t in into_terminal)


# --- a broken flow fails when it is built ------------------------------------------------------

A = StateSpec(ident="a", name="A", description="", inputs=(InputSpec(ident="x", label="X", data_type="int"),))
B = StateSpec(ident="b", name="B", description="", events=(EventSpec(ident="done", label="Done"),))
END = StateSpec(ident="end", name="End", description="", outcome="refurbished")


def build(states=(A, B, END), transitions=None, conditions=None, initial="a"):
    transitions = (
        transitions
        if transitions is not None
        else [
            TransitionSpec(source="a", dest="b"),
            TransitionSpec(source="b", dest="end", trigger="done"),
        ]
    )
    return Flow(
        name="t",
        title="t",
        initial=initial,
        states=list(states),
        transitions=transitions,
        conditions=conditions or {},
    )


def test_a_well_formed_flow_builds():
    assert build().initial == "a"


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"initial": "zzz"}, "unknown initial"),
        ({"transitions": [TransitionSpec(source="a", dest="zzz")]}, "unknown state"),
        (
            {
                "transitions": [
                    TransitionSpec(source="a", dest="b", conditions=("nope",)),
                    TransitionSpec(source="b", dest="end", trigger="done"),
                ]
            },
            "unknown condition",
        ),
        ({"transitions": [TransitionSpec(source="a", dest="b")]}, "no transition on done"),
        (
            {
                "transitions": [
                    TransitionSpec(source="a", dest="b"),
                    TransitionSpec(source="b", dest="end", trigger="nope"),
                ]
            },
            "no event nope",
        ),
        (
            {
                "transitions": [
                    TransitionSpec(source="a", dest="b"),
                    TransitionSpec(source="b", dest="end", trigger="done"),
                    TransitionSpec(source="end", dest="a", trigger="done"),
                ]
            },
            "terminal state",
        ),
        ({"states": (A, B, END, StateSpec(ident="c", name="C", description=""))}, "dead end"),
    ],
)
def test_a_broken_flow_is_refused(kwargs, error):
    with pytest.raises(ValueError, match=error):
        build(**kwargs)


def test_input_specs_refuse_rules_of_another_type_and_selections_without_options():
    with pytest.raises(ValueError, match="do not apply"):
        InputSpec(ident="x", label="X", data_type="text", validation_rules={"min": 1})
    with pytest.raises(ValueError, match="needs options"):
        InputSpec(ident="x", label="X", data_type="selection", selection_type="single")
    with pytest.raises(ValueError, match="only selections"):
        InputSpec(ident="x", label="X", data_type="int", options=(Option(value=1, label="1"),))
    assert INPUTS == "inputs"


@pytest.mark.parametrize("flow", FLOWS.values(), ids=FLOWS.keys())
def test_no_state_leads_to_one_taking_the_same_submission(flow: Flow):
    """What lets a repeated submission without Idempotency-Key be read as a retry (README: Retries)."""

    def accepts(state: StateSpec) -> set:
        inputs = {("inputs", frozenset(i.ident for i in state.inputs))} if state.inputs else set()
        return inputs | {("event", e.ident) for e in state.events}

    for transition in flow.transitions:
        assert not accepts(flow.state(transition.source)) & accepts(flow.state(transition.dest)), transition
