"""Schemathesis over every operation of the OpenAPI document, against the app on the real stack.

Each operation gets examples that fit its document (positive) and examples that do not (negative), sent
over HTTP by a GLOBAL SYSTEM user or an ENTITY admin, with path parameters sometimes steered to rows that
exist. Every answer must be: not a 5xx, a status the document lists for the operation, the content type
and body schema the document gives for that status, and a 4xx for data the document does not allow.

`SMARTSOLAR_FUZZ_EXAMPLES` sets the examples per operation (few in `make test`, many in `make fuzz`), and
`SMARTSOLAR_FUZZ_COVERAGE=1` adds schemathesis' coverage phase (`make fuzz` does).
"""

from __future__ import annotations

import os
import zlib

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
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
# The coverage phase (every boundary and every kind of wrong value the schema implies, dozens of cases an
# operation whatever EXAMPLES says) is the long run's: `make fuzz` turns it on.
COVERAGE = os.environ.get("SMARTSOLAR_FUZZ_COVERAGE", "") == "1"
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
schema.config.phases.coverage.enabled = COVERAGE
HTTP = requests.Session()


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


def choices(case) -> tuple[str, int]:
    """Who sends the case, and which seeded row (if any, -1 none) its path names: derived from the case
    itself, so a failing case replays the same way (the schema's own examples take no extra strategy)."""
    digest = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
    return ("system", "entity")[digest % 2], (digest // 2) % 4 - 1


@schema.parametrize()
# `seed` is per operation on purpose: the examples of one operation share it.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_every_operation_answers_as_documented(case, seed, fuzz_stack):
    user, real_row = choices(case)
    if real_row >= 0:
        steer_path(case, seed, real_row)
    case.call_and_validate(base_url=fuzz_stack.url, session=HTTP, headers=seed.headers[user], checks=CHECKS)
