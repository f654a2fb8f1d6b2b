"""Bad text is a 400 in the envelope before it reaches a route or the database, whoever sends it."""

from __future__ import annotations

import base64
import re

import pytest

from api.input_guard import MAX_JSON_DEPTH, json_depth
from tests.utils.factories import auth_headers, make_product


def _refused(response, field: str | None = None) -> dict:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == "validation-error"
    if field is not None:
        assert field in body["validation_errors"], body
    return body


def test_nul_in_login_form_is_refused(client):
    r = client.post(
        "/v1/auth/login",
        content=b"username=a%00b&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    _refused(r, "username")


def test_nul_in_basic_username_is_refused(client):
    credentials = base64.b64encode(b"a\x00b:x").decode()
    assert credentials == "YQBiOng="  # the doc's reproduction
    for method in ("get", "post"):
        r = getattr(client, method)("/v1/rc_data", headers={"Authorization": f"Basic {credentials}"})
        _refused(r, "username")
    r = client.post("/v1/rm_data", headers={"Authorization": f"Basic {credentials}"}, json={})
    _refused(r, "username")


def test_nul_in_a_path_segment_is_refused(client, db):
    headers = auth_headers(db)
    db.commit()
    r = client.put("/v1/products/a%00b/enable", headers=headers)
    body = _refused(r, "path")
    assert "\\x00" in body["message"]  # quoted escaped, never raw


def test_nul_in_any_path_parameter_is_refused_on_every_route(client, db, shared_app):
    """Every product action, the channel (un)subscriptions, every table row: the gate answers first."""
    headers = auth_headers(db)
    db.commit()
    shared_app.openapi_schema = None
    for path, item in shared_app.openapi()["paths"].items():
        if "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", "a%00b", path)
        for method in item:
            _refused(client.request(method.upper(), url, headers=headers, json={}), "path")


def test_nul_in_a_query_value_is_refused(client, db):
    headers = auth_headers(db)
    db.commit()
    _refused(client.get("/v1/webhook_deliveries?channel=a%00b", headers=headers), "channel")
    _refused(client.get("/v1/repairs/list_current_states?username=a%00", headers=headers), "username")


def test_nul_escape_in_json_is_refused_but_an_escaped_backslash_is_text(client, db):
    headers = auth_headers(db)
    db.commit()
    r = client.post(
        "/v1/alert_types",
        headers=headers,
        content=b'{"name": "a\\u0000b"}',
    )
    _refused(r, "body")
    # "\\u0000" is a backslash followed by text: allowed through to the route's own validation.
    r = client.post(
        "/v1/alert_types",
        headers={**headers, "content-type": "application/json"},
        content=b'{"name": "a\\\\u0000"}',
    )
    assert r.status_code != 500


def test_repeated_query_parameter_is_refused(client, db):
    headers = auth_headers(db)
    db.commit()
    _refused(client.get("/v1/products?page=a&page=b", headers=headers), "page")


def test_empty_integer_query_value_is_refused(client, db):
    headers = auth_headers(db)
    db.commit()
    _refused(client.get("/v1/products?results_per_page=", headers=headers), "results_per_page")


@pytest.mark.parametrize("depth", [300, 1000])
def test_deeply_nested_json_is_refused_everywhere(client, db, depth):
    headers = auth_headers(db)
    unit = make_product(db)
    db.commit()
    body = b"[" * depth + b"]" * depth
    json_body = {**headers, "content-type": "application/json"}
    for action in ("send_inputs", "send_events", "undo"):
        _refused(client.put(f"/v1/repairs/1/{action}", headers=json_body, content=body), "body")
    for url in ("/v1/repairs", "/v1/alert_types", "/v1/rc_data"):
        _refused(client.post(url, headers=json_body, content=body), "body")
    assert unit is not None


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') <= 1
    nested = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    assert json_depth(nested) == MAX_JSON_DEPTH + 1


@pytest.mark.parametrize(
    ("table", "body", "field"),
    [
        ("alert_types", {"name": "Low battery", "active": 0}, "active"),
        ("networks", {"name": "Net", "mcc": 639, "mnc": False}, "mnc"),
        ("networks", {"name": "Net", "mcc": "639", "mnc": 2}, "mcc"),
    ],
)
def test_loose_json_types_are_refused(client, db, table, body, field):
    headers = auth_headers(db)
    db.commit()
    r = client.post(f"/v1/{table}", headers=headers, json=body)
    _refused(r, field)


def test_a_number_is_not_a_date_time_on_the_wire(client, db):
    headers = auth_headers(db)
    db.commit()
    body = {"name": "1.2.3", "release_date": 0}
    _refused(client.post("/v1/software_version_types", headers=headers, json=body), "release_date")


def test_a_number_is_not_a_date_time():
    from pydantic import TypeAdapter, ValidationError

    from api.input_types import JsonDateTime

    adapter = TypeAdapter(JsonDateTime)
    assert adapter.validate_python("2016-07-28T08:43:09.501636").year == 2016
    with pytest.raises(ValidationError):
        adapter.validate_python(0)
