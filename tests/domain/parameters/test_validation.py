"""A parameter's value against its type: data_type reading, each validation rule named when broken."""

from __future__ import annotations

import pytest

from db.models.software import ParameterType
from domain.errors import ValidationFailed
from domain.parameters.validation import check_value, same_value


def kind(data_type: str, rules=None) -> ParameterType:
    return ParameterType(
        name="p", data_type=data_type, validation_rules=rules, repeatable=False, setting=True
    )


@pytest.mark.parametrize(
    ("data_type", "rules", "value", "rule"),
    [
        ("int", None, "4.5", "data_type"),
        ("int", None, "abc", "data_type"),
        ("float", None, "nan", "data_type"),
        ("float", None, "", "data_type"),
        ("bool", None, "yes", "data_type"),
        ("datetime", None, "yesterday", "data_type"),
        ("int", {"min": 3, "max": 7}, "2", "min"),
        ("int", {"min": 3, "max": 7}, "8", "max"),
        ("float", {"min": 0, "step": 0.5}, "1.2", "step"),
        ("int", {"options": [50, 75, 100]}, "60", "options"),
        ("string", {"minlength": 3}, "ab", "minlength"),
        ("string", {"maxlength": 3}, "abcd", "maxlength"),
        ("string", {"options": ["eco", "boost"]}, "turbo", "options"),
    ],
)
def test_each_rule_is_named(data_type, rules, value, rule):
    with pytest.raises(ValidationFailed) as err:
        check_value(kind(data_type, rules), value)
    assert err.value.status_code == 400
    assert err.value.validation_errors["rule"] == rule
    assert rule in err.value.message or rule == "data_type"


@pytest.mark.parametrize(
    ("data_type", "rules", "value", "typed"),
    [
        ("int", {"min": 3, "max": 7}, " 5 ", 5),
        ("float", {"min": 0, "step": 0.5}, "1.5", 1.5),
        ("bool", None, "True", True),
        ("bool", None, "false", False),
        ("string", {"options": ["eco"]}, "eco", "eco"),
    ],
)
def test_good_values_pass(data_type, rules, value, typed):
    assert check_value(kind(data_type, rules), value) == typed


def test_rules_that_do_not_fit_the_type_are_reported():
    with pytest.raises(ValidationFailed) as err:
        check_value(kind("int", {"maxlength": 3}), "2")
    assert "validation_rules" in err.value.validation_errors


def test_same_value_compares_typed_values():
    assert same_value(kind("float"), "50", "50.0")
    assert same_value(kind("bool"), "True", "true")
    assert not same_value(kind("float"), "50", "51")
    assert not same_value(kind("string"), "a", "A")
