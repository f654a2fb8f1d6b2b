"""Token auth and permission levels, per the doc's "Authentication and Permissions"."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from api.deps import require
from api.errors import install_error_handlers
from core.settings import get_settings
from db.models.user import ApiToken
from db.session import get_engine
from domain.permissions import Permission
from tests.utils.factories import make_user, token_for

LEVELS = list(Permission)


def login(client, username, password, as_json=False):
    payload = {"username": username, "password": password}
    if as_json:
        return client.post("/v1/auth/login", json=payload)
    return client.post("/v1/auth/login", data=payload)


@pytest.mark.parametrize("as_json", [False, True])
def test_login_response_has_the_doc_shape(client, db, as_json):
    make_user(db, Permission.TECHNICAL, username="test.user@bboxx.co.uk", password="pw")
    r = login(client, "test.user@bboxx.co.uk", "pw", as_json)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "success"
    ok = body["message"]["login_successful"]
    assert set(ok) == {
        "username",
        "entity_id",
        "display_name",
        "name",
        "user_product_visibility",
        "hub_id",
        "shop_id",
        "API_token",
        "token_expiry",
        "permissions",
    }
    assert ok["username"] == "test.user@bboxx.co.uk"
    assert ok["permissions"] == "TECHNICAL"
    assert ok["user_product_visibility"] == "GLOBAL"
    assert re.fullmatch(r"[A-Za-z0-9]{64}", ok["API_token"])
    # RFC 1123, as the doc: "Mon, 01 Aug 2016 17:05:11 GMT"
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT", ok["token_expiry"])


def test_token_is_stored_only_as_a_hash(client, db):
    from sqlalchemy import select

    from db.models.user import ApiToken, User

    make_user(db, username="u@example.com", password="pw")
    token = login(client, "u@example.com", "pw").json()["message"]["login_successful"]["API_token"]
    stored = db.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    assert "pw" not in db.scalar(select(User.password_hash).where(User.username == "u@example.com"))


def test_wrong_password_and_unknown_user_are_401(client, db):
    make_user(db, username="u@example.com", password="right")
    for username, password in [("u@example.com", "wrong"), ("nobody@example.com", "right")]:
        r = login(client, username, password)
        assert r.status_code == 401
        assert r.json()["status"] == "error"


def test_login_without_fields_is_a_validation_error(client, db):
    r = client.post("/v1/auth/login", data={"username": "x"})
    assert r.status_code == 400
    assert r.json()["validation_errors"] == {"password": "This field is required"}


def test_no_token_and_bad_token_are_401(client, db):
    assert client.get("/v1/auth/validate_user?username=x").status_code == 401
    r = client.get("/v1/auth/validate_user?username=x", headers={"Authorization": "Token token=nope"})
    assert r.status_code == 401
    assert r.json()["message"]
    r = client.get("/v1/auth/validate_user?username=x", headers={"Authorization": "Bearer abc"})
    assert r.status_code == 401


def test_token_expires_three_hours_after_last_use(client, db, clock):
    make_user(db, username="sys@example.com", password="pw")
    token = login(client, "sys@example.com", "pw").json()["message"]["login_successful"]["API_token"]
    headers = {"Authorization": f"Token token={token}"}
    clock.advance(hours=2, minutes=59)
    assert client.get("/v1/auth/validate_user?username=x", headers=headers).status_code == 200
    # That use slid the expiry: another 2h59 later it still works...
    clock.advance(hours=2, minutes=59)
    assert client.get("/v1/auth/validate_user?username=x", headers=headers).status_code == 200
    # ...but 3 hours without use ends it.
    clock.advance(hours=3, seconds=1)
    r = client.get("/v1/auth/validate_user?username=x", headers=headers)
    assert r.status_code == 401
    assert "expired" in r.json()["message"]


def test_expiry_in_login_response_is_three_hours_ahead(client, db, clock):
    make_user(db, username="sys@example.com", password="pw")
    ok = login(client, "sys@example.com", "pw").json()["message"]["login_successful"]
    expiry = parsedate_to_datetime(ok["token_expiry"]).replace(tzinfo=None)
    assert abs(expiry - (clock.now + timedelta(hours=3))) < timedelta(seconds=1)


@pytest.fixture
def levels_client(db):
    """An app with one route per permission level, each guarded by `require` as real routes are."""
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(prefix="/v1/test-levels")
    for level in LEVELS:
        router.add_api_route(f"/{level.name}", lambda: {"ok": True}, dependencies=[Depends(require(level))])
    app.include_router(router)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("level", LEVELS[1:], ids=lambda lv: lv.name)
def test_each_level_is_refused_the_next_level_up(levels_client, db, level):
    client = levels_client
    below = Permission(level - 1)
    user = make_user(db, below)
    headers = {"Authorization": f"Token token={token_for(db, user)}"}
    assert client.get(f"/v1/test-levels/{below.name}", headers=headers).status_code == 200
    r = client.get(f"/v1/test-levels/{level.name}", headers=headers)
    assert r.status_code == 403
    assert r.json()["status"] == "error"
    assert level.name in r.json()["message"]


def test_system_passes_every_level(levels_client, db):
    client = levels_client
    headers = {"Authorization": f"Token token={token_for(db, make_user(db, Permission.SYSTEM))}"}
    for level in LEVELS:
        assert client.get(f"/v1/test-levels/{level.name}", headers=headers).status_code == 200


def test_validate_user_endpoints_need_system_and_answer_as_the_doc(client, db):
    admin = make_user(db, Permission.ADMIN)
    system = make_user(
        db, Permission.SYSTEM, username="a-valid-user@bboxx.co.uk", password="a-valid-password"
    )
    r = client.get(
        "/v1/auth/validate_user",
        params={"username": "a-valid-user@bboxx.co.uk"},
        headers={"Authorization": f"Token token={token_for(db, admin)}"},
    )
    assert r.status_code == 403
    headers = {"Authorization": f"Token token={token_for(db, system)}"}
    r = client.get("/v1/auth/validate_user", params={"username": "a-valid-user@bboxx.co.uk"}, headers=headers)
    assert r.json() == {
        "status": "success",
        "message": "Successfully checked the username a-valid-user@bboxx.co.uk",
        "data": "True",
    }
    r = client.get(
        "/v1/auth/validate_user", params={"username": "not_a_real_user@bboxx.co.uk"}, headers=headers
    )
    assert r.json()["data"] == "False"
    r = client.get(
        "/v1/auth/validate_user_and_password",
        params={"username": "a-valid-user@bboxx.co.uk", "password": "a-valid-password"},
        headers=headers,
    )
    assert r.json() == {
        "status": "success",
        "message": "Successfully checked the username a-valid-user@bboxx.co.uk with it's password",
        "data": "True",
    }
    r = client.get(
        "/v1/auth/validate_user_and_password",
        params={"username": "a-valid-user@bboxx.co.uk", "password": "wrong"},
        headers=headers,
    )
    assert r.json()["data"] == "False"
    r = client.get("/v1/auth/validate_user", headers=headers)
    assert r.status_code == 400
    assert r.json()["status"] == "validation-error"
    assert "username" in r.json()["validation_errors"]


def test_home_needs_no_token(client):
    for method in ("get", "post"):
        r = getattr(client, method)("/v1/home")
        assert r.status_code == 200
        assert r.text.startswith("Welcome to the SMARTSolar API: ")
        assert r.headers["content-type"].startswith("text/plain")


def test_unknown_routes_and_methods_use_the_envelope(client):
    r = client.get("/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json() == {
        "status": "error",
        "message": "Not Found -- The specified resource could not be found",
        "validation_errors": {},
        "data": {},
    }
    r = client.delete("/v1/home")
    assert r.status_code == 405
    assert r.json()["status"] == "error"


@contextmanager
def statements():
    """The first word of every statement the app's engine sends, while the block runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split(None, 1)[0].upper())

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_token_level_and_scope_cost_one_statement(levels_client, db):
    user = make_user(db, Permission.TECHNICAL)
    headers = {"Authorization": f"Token token={token_for(db, user)}"}
    with statements() as seen:
        assert levels_client.get("/v1/test-levels/TECHNICAL", headers=headers).status_code == 200
    assert seen == ["WITH"]  # the token, its user and the sliding expiry: one statement (no COMMIT either)
    with statements() as seen:
        assert levels_client.get("/v1/test-levels/ADMIN", headers=headers).status_code == 403
    assert seen == ["WITH"]


def test_expiry_is_rewritten_only_once_it_moved_by_the_refresh_interval(client, db, clock):
    make_user(db, username="sys@example.com", password="pw")
    token = login(client, "sys@example.com", "pw").json()["message"]["login_successful"]["API_token"]
    headers = {"Authorization": f"Token token={token}"}
    issued = db.scalar(select(ApiToken.expires_at))
    clock.advance(seconds=get_settings().token_refresh_seconds - 1)
    assert client.get("/v1/auth/validate_user?username=x", headers=headers).status_code == 200
    assert db.scalar(select(ApiToken.expires_at)) == issued
    clock.advance(seconds=2)
    assert client.get("/v1/auth/validate_user?username=x", headers=headers).status_code == 200
    assert db.scalar(select(ApiToken.expires_at)) == clock.now + timedelta(hours=3)
