"""A parameter's value against its parameter_type: `data_type` says how the string value reads, and
`validation_rules` are the doc's rules (the same vocabulary as repair inputs: `min`, `max`, `step`,
`options` for numbers; `minlength`, `maxlength`, `options` for strings), checked by the same code."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from db.models.software import ParameterType
from domain.errors import ValidationFailed
from repair_flows.spec import InputSpec
from repair_flows.validation import CHECKS, parse_datetime

BOOLEANS = {"true": True, "false": False}
RULED_TYPES = ("int", "float", "string")


def _read(data_type: str, value: str) -> Any:
    """The value as its data_type reads it; ValueError when it does not."""
    text = value.strip()
    if data_type == "int":
        return int(text)
    if data_type == "float":
        return float(text)
    if data_type == "bool":
        if text.lower() not in BOOLEANS:
            raise ValueError(value)
        return BOOLEANS[text.lower()]
    if data_type == "datetime":
        return parse_datetime(text)
    return value


def _broken_rule(spec: InputSpec, value: Any) -> str:
    """Which rule `value` breaks: the first that refuses it on its own."""
    for rule, setting in spec.validation_rules.items():
        alone = spec.model_copy(update={"validation_rules": {rule: setting}})
        if CHECKS[spec.data_type](alone, value)[1] is not None:
            return rule
    return "data_type"


def check_value(parameter_type: ParameterType, value: str) -> Any:
    """The typed value if `value` suits the type, else a 400 naming the rule it breaks. The string is
    stored as the client sent it; comparisons (`same_value`) use the typed value, so "50" equals "50.0"."""
    name, data_type = parameter_type.name, parameter_type.data_type
    try:
        typed = _read(data_type, value)
    except ValueError:
        raise ValidationFailed(
            f"Value {value!r} is not a valid {data_type} for parameter_type {name}",
            validation_errors={"value": f"Must be a {data_type}", "rule": "data_type"},
        ) from None
    if data_type not in RULED_TYPES:  # bool and datetime take no rules
        return typed
    try:
        spec = InputSpec(
            ident=name, label=name, data_type=data_type, validation_rules=dict(rules_of(parameter_type))
        )
    except ValidationError as err:
        raise ValidationFailed(
            f"parameter_type {name} has validation_rules that do not apply to {data_type}",
            validation_errors={"validation_rules": str(err.errors()[0]["msg"])},
        ) from None
    typed, error = CHECKS[data_type](spec, typed)
    if error is not None:
        rule = _broken_rule(spec, typed)
        raise ValidationFailed(
            f"Value {value!r} breaks rule {rule!r} of parameter_type {name}: {error.render()}",
            validation_errors={"value": error.render(), "rule": rule},
        )
    return typed


def rules_of(parameter_type: ParameterType) -> dict[str, Any]:
    rules = parameter_type.validation_rules
    return rules if isinstance(rules, dict) else {}


def same_value(parameter_type: ParameterType, a: str, b: str) -> bool:
    """Whether two values mean the same for this type (a unit may report "50" for a stored "50.0")."""
    if a == b:
        return True
    try:
        return _read(parameter_type.data_type, a) == _read(parameter_type.data_type, b)
    except ValueError:
        return False
