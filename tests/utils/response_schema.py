"""Check an answer against the response schema the OpenAPI document gives its route and status."""

from __future__ import annotations

from functools import cache

import httpx
from jsonschema import Draft202012Validator

from api.app import create_app


@cache
def document() -> dict:
    return create_app().openapi()


def response_schema(method: str, path: str, status: int) -> dict:
    """The JSON schema of `method path`'s `status` answer, its `$ref`s resolvable."""
    operation = document()["paths"][path][method.lower()]
    content = operation["responses"][str(status)]["content"]["application/json"]
    return {**content["schema"], "components": document()["components"]}


def assert_conforms(response: httpx.Response, path: str) -> dict:
    """`response` (to a request on the route templated `path`) is what the document says; its JSON."""
    body = response.json()
    schema = response_schema(response.request.method, path, response.status_code)
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return body
