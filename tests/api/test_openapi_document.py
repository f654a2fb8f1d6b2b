"""The OpenAPI document lists the envelope on the error codes routes answer, no 422, and /docs is offline;
every action route says what it answers (typed `data`), times say naive UTC, login takes form or JSON."""

from __future__ import annotations

import re

import pytest
from fastapi import routing
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute

from api.schemas.times import INPUT_DATETIME_PATTERN, NAIVE_UTC_PATTERN, QUERY_DATETIME_PATTERN


@pytest.fixture(scope="module")
def document(shared_app) -> dict:
    shared_app.openapi_schema = None
    return shared_app.openapi()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_no_operation_documents_422(document):
    assert all("422" not in op["responses"] for _, _, op in _operations(document))
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_documents_400_and_503_with_the_envelope(document):
    for path, method, op in _operations(document):
        for code in ("400", "503"):
            assert code in op["responses"], (path, method, code)
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert set(envelope["properties"]) == {"status", "message", "validation_errors", "data"}


def test_token_routes_document_401_and_403_and_unit_routes_401(document):
    enable = document["paths"]["/v1/products/{imei}/enable"]["put"]["responses"]
    assert {"401", "403", "404"} <= set(enable)
    rc_get = document["paths"]["/v1/rc_data"]["get"]["responses"]
    assert "401" in rc_get and "403" not in rc_get
    assert "401" in document["paths"]["/v1/auth/login"]["post"]["responses"]  # a wrong password
    home = document["paths"]["/v1/home"]["get"]["responses"]
    assert "404" not in home


def test_docs_are_served_from_packaged_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "/static-offline-docs/swagger-ui-bundle.js" in page.text
    bundle = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and "/static-offline-docs/redoc.standalone.js" in redoc.text
    # ReDoc's bundle asks a CDN for its logo: the pages' policy keeps the browser to the API's own origin.
    for answer in (page, redoc):
        assert "img-src 'self' data:" in answer.headers["content-security-policy"]
    assert "content-security-policy" not in client.get("/v1/home").headers


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _success_schemas(document: dict):
    for path, method, op in _operations(document):
        for code, answer in op["responses"].items():
            if code.startswith("2") and "application/json" in answer.get("content", {}):
                yield path, method, _resolve(document, answer["content"]["application/json"]["schema"])


def _typed(schema: dict) -> bool:
    return any(key in schema for key in ("type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum"))


def test_no_success_answer_has_an_untyped_data(document):
    for path, method, schema in _success_schemas(document):
        assert _typed(schema), (path, method)
        data = schema.get("properties", {}).get("data")
        if data is not None:
            assert _typed(data), (path, method, data)


def test_every_action_route_declares_its_answer(shared_app):
    routes = [context.original_route for context in routing.iter_route_contexts(shared_app.routes)]
    actions = [
        route
        for route in routes
        if isinstance(route, APIRoute)
        and route.include_in_schema
        and route.endpoint.__module__.startswith("api.routes.")
        and route.response_class is not PlainTextResponse
    ]
    assert len(actions) > 60
    untyped = [(route.path, sorted(route.methods)) for route in actions if route.response_model is None]
    assert untyped == []


def _walk(node, at=()):
    if isinstance(node, dict):
        yield at, node
        for key, value in node.items():
            yield from _walk(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*at, index))


def test_times_say_naive_utc_with_a_pattern_not_rfc3339(document):
    claims = [at for at, node in _walk(document) if node.get("format") == "date-time"]
    assert claims == []
    components = document["components"]["schemas"]
    # An answer's time (the table API's rows and the action routes' alike) is the doc's naive UTC form.
    product = document["paths"]["/v1/products/{product_imei}"]["get"]["responses"]["200"]["content"]
    assert product["application/json"]["schema"]["properties"]["created_at"]["anyOf"][0]["pattern"] == (
        NAIVE_UTC_PATTERN
    )
    expiry = components["BalanceAndPending"]["properties"]["expected_expiry"]["anyOf"][0]
    assert expiry["pattern"] == NAIVE_UTC_PATTERN
    assert re.match(NAIVE_UTC_PATTERN, "2016-07-28T08:43:09.501636")
    assert not re.match(NAIVE_UTC_PATTERN, "2016-07-28T08:43:09Z")
    # A request's time may carry an offset (converted to UTC).
    written = components["SoftwareVersionTypeCreate"]["properties"]["release_date"]
    assert written["pattern"] == INPUT_DATETIME_PATTERN
    assert re.match(INPUT_DATETIME_PATTERN, "2016-07-28T08:43:09+02:00")
    # Times in query parameters are typed the same way (the doc's space form and a bare date too).
    for path, name in (
        ("/v1/products/{imei}/parameters/history", "date"),
        ("/v1/products/{imei}/connectivity_reliability_rate", "start"),
        ("/v1/products/{imei}/connectivity_reliability_rate", "end"),
    ):
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name]
        assert parameter["schema"]["anyOf"][0]["pattern"] == QUERY_DATETIME_PATTERN, (path, name)
    assert all(re.match(QUERY_DATETIME_PATTERN, t) for t in ("2016-07-28 08:43:09", "2016-07-28"))


def test_login_documents_its_form_and_its_json_body(document):
    body = document["paths"]["/v1/auth/login"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/x-www-form-urlencoded", "application/json"}
    for content in body["content"].values():
        assert set(content["schema"]["required"]) == {"username", "password"}
    answer = document["paths"]["/v1/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]
    assert _resolve(document, answer["schema"])["properties"]["message"]


def test_the_rc_get_answer_is_typed_down_to_each_item(document):
    """/docs shows exactly what a unit receives: every item of the answer has its own schema."""
    content = document["paths"]["/v1/rc_data"]["get"]["responses"]["200"]["content"]
    answer = _resolve(document, content["application/json"]["schema"])
    items = {
        name: _resolve(document, answer["properties"][name]["items"])
        for name in ("payment_commands", "parameters", "part_parameters")
    }
    assert set(items["payment_commands"]["required"]) == {"transaction_id", "category", "value"}
    assert set(items["parameters"]["required"]) == {"parameter_type", "value"}
    assert set(items["part_parameters"]["required"]) == {"part_id", "parameter_type", "value"}
    assert not any(item.get("additionalProperties") for item in items.values())
    software = _resolve(document, answer["properties"]["software"]["anyOf"][0])
    assert set(software["properties"]) == {"name", "link", "checksum"}
