"""Validation of submitted values against IRT input specifications (pure: runs in the workflow).

Each rule of the doc's "IRT Input Specifications" is checked here; every failure is a `Message`
(msgid + parameters) keyed by input ident, so the API can answer in the caller's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from repair_flows.i18n import N_, Message, msg
from repair_flows.spec import InputSpec

# The doc's accepted date/time formats.
DATETIME_FORMATS = ("%H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ")
# Where a submission's own problems (not one input's) are reported.
GENERAL = "inputs"


def _is_number(value: Any) -> bool:
    # bool is an int subclass; a ticked checkbox is not a voltage.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _on_step(value: float, base: float, step: float) -> bool:
    n = (value - base) / step
    return abs(n - round(n)) <= 1e-9 * max(1.0, abs(n))


def _in_options(value: Any, options: Sequence[Any]) -> bool:
    return any(_is_number(o) and math.isclose(value, o, rel_tol=1e-9, abs_tol=1e-12) for o in options)


def _check_number(spec: InputSpec, value: Any) -> tuple[Any, Message | None]:
    rules = spec.validation_rules
    if not _is_number(value):
        return value, msg(
            N_("Must be a whole number.") if spec.data_type == "int" else N_("Must be a number.")
        )
    if spec.data_type == "int":
        if isinstance(value, float) and not value.is_integer():
            return value, msg(N_("Must be a whole number."))
        value = int(value)
    if "options" in rules and not _in_options(value, rules["options"]):
        return value, msg(N_("Must be one of: %(options)s."), options=list(rules["options"]))
    if "min" in rules and value < rules["min"]:
        return value, msg(N_("Must be at least %(min)s."), min=rules["min"])
    if "max" in rules and value > rules["max"]:
        return value, msg(N_("Must be at most %(max)s."), max=rules["max"])
    if "step" in rules and not _on_step(value, rules.get("min", 0), rules["step"]):
        return value, msg(N_("Must be in steps of %(step)s."), step=rules["step"])
    return value, None


def _check_string(spec: InputSpec, value: Any) -> tuple[Any, Message | None]:
    rules = spec.validation_rules
    if not isinstance(value, str):
        return value, msg(N_("Must be text."))
    if "options" in rules and value not in rules["options"]:
        return value, msg(N_("Must be one of: %(options)s."), options=list(rules["options"]))
    if "minlength" in rules and len(value) < rules["minlength"]:
        return value, msg(N_("Must be at least %(min)s characters long."), min=rules["minlength"])
    if "maxlength" in rules and len(value) > rules["maxlength"]:
        return value, msg(N_("Must be at most %(max)s characters long."), max=rules["maxlength"])
    return value, None


def parse_datetime(value: str) -> datetime:
    """A value in one of the doc's formats (a bare time is dated 1900-01-01, as strptime does)."""
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(value)


def _check_datetime(_spec: InputSpec, value: Any) -> tuple[Any, Message | None]:
    try:
        parse_datetime(value) if isinstance(value, str) else parse_datetime("")
    except ValueError:
        return value, msg(N_("Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."))
    return value, None


def _option_matches(value: Any, option_value: Any) -> bool:
    if isinstance(value, bool) or isinstance(option_value, bool):
        return value is option_value
    return value == option_value


def _check_selection(spec: InputSpec, value: Any) -> tuple[Any, Message | None]:
    offered = [o.value for o in spec.options]
    if spec.selection_type == "single":
        if isinstance(value, (list, dict)) or not any(_option_matches(value, o) for o in offered):
            return value, msg(N_("Choose one of the options offered."))
        return value, None
    if not isinstance(value, list):
        return value, msg(N_("Choose a list of the options offered."))
    if not value:
        return value, msg(N_("Choose at least one option."))
    if any(isinstance(v, (list, dict)) or not any(_option_matches(v, o) for o in offered) for v in value):
        return value, msg(N_("Choose only among the options offered."))
    if len({repr(v) for v in value}) != len(value):
        return value, msg(N_("Each option may be chosen only once."))
    return value, None


CHECKS = {
    "int": _check_number,
    "float": _check_number,
    "string": _check_string,
    "text": _check_string,
    "datetime": _check_datetime,
    "selection": _check_selection,
}


def validate_inputs(
    inputs: Sequence[InputSpec], payload: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Message]]:
    """Check `payload` (ident -> value) against the state's `inputs` (with their options resolved).

    Returns the values (ints normalised) and the errors by ident; no errors means accepted.
    """
    if not inputs:
        return {}, {GENERAL: msg(N_("This step takes no inputs."))}
    if not payload:
        return {}, {GENERAL: msg(N_("No inputs were sent."))}
    by_ident = {spec.ident: spec for spec in inputs}
    values: dict[str, Any] = {}
    errors: dict[str, Message] = {}
    for ident, value in payload.items():
        spec = by_ident.get(ident)
        if spec is None:
            errors[ident] = msg(N_("Unknown input for this step."))
            continue
        if value is None and not spec.required:
            values[ident] = None
            continue
        values[ident], error = CHECKS[spec.data_type](spec, value)
        if error is not None:
            errors[ident] = error
    for spec in inputs:
        if spec.required and spec.ident not in payload:
            errors[spec.ident] = msg(N_("This value is required."))
    return values, errors
