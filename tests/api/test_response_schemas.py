"""Answers are what the OpenAPI document says, for routes no other test checks so: login (form and JSON),
the SYSTEM user checks, a tool log, an alert dismissal and a unit's RC-POST."""

from __future__ import annotations

from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, make_software, make_user, unit_auth
from tests.utils.response_schema import assert_conforms


def test_login_answers_its_documented_shape_from_a_form_or_json(client, db):
    make_user(db, username="schema@example.com", password="s3cret")
    form = client.post("/v1/auth/login", data={"username": "schema@example.com", "password": "s3cret"})
    assert form.status_code == 200, form.text
    assert assert_conforms(form, "/v1/auth/login")["message"]["login_successful"]["API_token"]
    as_json = client.post("/v1/auth/login", json={"username": "schema@example.com", "password": "s3cret"})
    assert as_json.status_code == 200, as_json.text
    assert_conforms(as_json, "/v1/auth/login")
    not_text = client.post("/v1/auth/login", json={"username": "schema@example.com", "password": 5})
    assert (
        not_text.status_code == 400
        and "password" in assert_conforms(not_text, "/v1/auth/login")["validation_errors"]
    )


def test_system_checks_and_a_tool_log(client, db):
    system = auth_headers(db, Permission.SYSTEM)
    checked = client.get("/v1/auth/validate_user", params={"username": "nobody"}, headers=system)
    assert assert_conforms(checked, "/v1/auth/validate_user")["data"] == "False"
    log = {"time": 1604571930000, "message": "ok", "toolname": "tiger_test_jig_production", "passed": True}
    uploaded = client.post("/v1/upload_tool_log", json=log, headers=system)
    assert uploaded.status_code == 201, uploaded.text
    assert assert_conforms(uploaded, "/v1/upload_tool_log")["data"] is None
    refused = client.post("/v1/upload_tool_log", json=log | {"passed": None}, headers=system)
    assert refused.status_code == 400 and "passed" in refused.json()["validation_errors"]


def test_a_units_rc_post_and_an_unknown_alert(client, db):
    product = make_product(db)
    make_software(db, "3.6")
    report = {"enable_flag": False, "tamper_flag": False, "software": "3.6"}
    posted = client.post("/v1/rc_data", json=report, auth=unit_auth(product))
    assert posted.status_code == 200, posted.text
    assert assert_conforms(posted, "/v1/rc_data")["data"]["connection_id"] >= 1
    technical = auth_headers(db, Permission.TECHNICAL)
    missing = client.put("/v1/alerts/999999/dismiss", json={"repair_id": True}, headers=technical)
    assert missing.status_code == 400  # a boolean is not a repair id
    assert "repair_id" in assert_conforms(missing, "/v1/alerts/{alert_id}/dismiss")["validation_errors"]
