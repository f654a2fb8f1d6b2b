"""Every rule of the doc's IRT Input Specifications, accepted and refused."""

from __future__ import annotations

import pytest

from repair_flows.spec import InputSpec, Option
from repair_flows.validation import GENERAL, validate_inputs


def spec(data_type: str, **rules) -> InputSpec:
    return InputSpec(ident="v", label="V", data_type=data_type, validation_rules=rules)


def selection(kind: str) -> InputSpec:
    options = tuple(Option(value=v, label=str(v)) for v in (61, 44, 48))
    return InputSpec(ident="v", label="V", data_type="selection", selection_type=kind, options=options)


CASES = [
    # (spec, accepted values, refused values with the msgid expected)
    (
        spec("int", min=3, max=7),
        [3, 4, 7, 5.0],
        [
            (2, "Must be at least %(min)s."),
            (8, "Must be at most %(max)s."),
            (4.5, "Must be a whole number."),
            ("4", "Must be a whole number."),
            (True, "Must be a whole number."),
            (None, "Must be a whole number."),
        ],
    ),
    (spec("int", min=0, step=5), [0, 10, 50000], [(12, "Must be in steps of %(step)s.")]),
    (spec("int", options=[50, 75, 100]), [50, 100], [(60, "Must be one of: %(options)s.")]),
    (
        spec("float", min=3.5, max=7.5),
        [3.5, 4.8, 7, 7.5],
        [
            (3.4, "Must be at least %(min)s."),
            (7.51, "Must be at most %(max)s."),
            ("4.8", "Must be a number."),
            (float("nan"), "Must be a number."),
            (float("inf"), "Must be a number."),
            (False, "Must be a number."),
        ],
    ),
    (spec("float", min=0.0, step=0.01), [12.35, 0.1, 3], [(12.345, "Must be in steps of %(step)s.")]),
    (spec("float", options=[1.5, 2.5]), [2.5, 1.5], [(2.0, "Must be one of: %(options)s.")]),
    (
        spec("string", minlength=10, maxlength=15),
        ["MC0211-999002-1", "0123456789"],
        [
            ("short", "Must be at least %(min)s characters long."),
            ("MC0211-999002-1X", "Must be at most %(max)s characters long."),
            (123456789012, "Must be text."),
        ],
    ),
    (spec("string", options=["red", "green"]), ["red"], [("blue", "Must be one of: %(options)s.")]),
    (
        spec("text", minlength=10),
        ["Lorem ipsum dolor sit amet, " * 20],
        [("too short", "Must be at least %(min)s characters long."), (["a list"], "Must be text.")],
    ),
    (spec("text", maxlength=5), ["abcde", ""], [("abcdef", "Must be at most %(max)s characters long.")]),
    (
        spec("datetime"),
        ["12:30:00", "2018-03-30", "2018-03-30T12:00:00Z"],
        [
            ("2018-13-01", "Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."),
            ("30/03/2018", "Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."),
            (
                "2018-03-30 12:00:00",
                "Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.",
            ),
            (20180330, "Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."),
        ],
    ),
    (
        selection("single"),
        [44, 61],
        [
            (45, "Choose one of the options offered."),
            ("44", "Choose one of the options offered."),
            ([44], "Choose one of the options offered."),
            (None, "Choose one of the options offered."),
        ],
    ),
    (
        selection("multi"),
        [[44], [61, 48]],
        [
            ([], "Choose at least one option."),
            ([44, 99], "Choose only among the options offered."),
            (44, "Choose a list of the options offered."),
            ([44, 44], "Each option may be chosen only once."),
            ([[44]], "Choose only among the options offered."),
        ],
    ),
]

ACCEPTED = [(s, v) for s, good, _ in CASES for v in good]
REFUSED = [(s, v, m) for s, _, bad in CASES for v, m in bad]


def _id(value) -> str:
    return repr(value)[:30]


@pytest.mark.parametrize("input_spec, value", ACCEPTED, ids=[f"{s.data_type}-{_id(v)}" for s, v in ACCEPTED])
def test_accepted(input_spec, value):
    values, errors = validate_inputs([input_spec], {"v": value})
    assert errors == {}
    assert values["v"] == value


@pytest.mark.parametrize(
    "input_spec, value, msgid", REFUSED, ids=[f"{s.data_type}-{_id(v)}" for s, v, _ in REFUSED]
)
def test_refused(input_spec, value, msgid):
    _, errors = validate_inputs([input_spec], {"v": value})
    assert list(errors) == ["v"]
    assert errors["v"].msgid == msgid


def test_refusals_carry_the_rule_values_for_the_message():
    _, errors = validate_inputs([spec("float", min=3.5)], {"v": 1.0})
    assert errors["v"].params == {"min": 3.5}
    assert errors["v"].render() == "Must be at least 3.5."


def test_ints_are_normalised():
    values, _ = validate_inputs([spec("int")], {"v": 5.0})
    assert values["v"] == 5 and isinstance(values["v"], int)


def test_required_unknown_and_empty_submissions():
    a, b = (
        spec("int").model_copy(update={"ident": "a"}),
        spec("int").model_copy(update={"ident": "b", "required": False}),
    )
    _, errors = validate_inputs([a, b], {"zzz": 1})
    assert errors["zzz"].msgid == "Unknown input for this step."
    assert errors["a"].msgid == "This value is required."
    assert "b" not in errors  # optional
    assert validate_inputs([a, b], {"a": 1, "b": None}) == ({"a": 1, "b": None}, {})
    assert validate_inputs([a], {})[1][GENERAL].msgid == "No inputs were sent."
    assert validate_inputs([], {"a": 1})[1][GENERAL].msgid == "This step takes no inputs."
