"""Walk the spec: every table endpoint answers the methods the spec allows, 405 for the ones it
marks null, 401 without a token, and 403 for a user one level below each method's permission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.tables.registry import METHODS, SPEC_FILE, table_endpoints
from db.models import MODELS_BY_TABLE
from db.session import get_sessionmaker
from domain.permissions import Permission
from domain.tables.columns import is_int, table_info
from tests.utils.factories import make_user, token_for
from tests.utils.fixtures import truncate_all

SPEC_COPY = Path(__file__).resolve().parents[3] / "spec" / "tables.json"
ENDPOINTS = table_endpoints()


@pytest.fixture(scope="module")
def tokens() -> dict[Permission, dict[str, str]]:
    """One user per permission level, made once for the module (the walk sends ~1,000 requests)."""
    truncate_all()
    with get_sessionmaker()(info={"actor": "test"}) as session:
        return {
            level: {"Authorization": f"Token token={token_for(session, make_user(session, level))}"}
            for level in Permission
        }


@pytest.fixture(scope="module")
def walker(table_app) -> TestClient:
    return TestClient(table_app)


def _call(client: TestClient, endpoint, method: str, headers: dict | None):
    info = table_info(endpoint.model)
    missing_key = "999999" if is_int(info.pk) else "no-such-key"
    path = f"/v1{endpoint.path}"
    item = f"{path}/{missing_key}"
    if method == "GET":
        return [client.get(path, headers=headers), client.get(item, headers=headers)]
    if method == "POST":
        return [client.post(path, json={}, headers=headers)]
    if method == "PUT":
        return [client.put(item, json={}, headers=headers)]
    return [client.delete(item, headers=headers)]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_methods_and_levels_follow_the_spec(walker, tokens, endpoint):
    for method in METHODS:
        level = endpoint.permissions[method]
        if level is None:
            for response in _call(walker, endpoint, method, tokens[Permission.SYSTEM]):
                assert response.status_code == 405, (method, response.text)
                assert response.json()["status"] == "error"
            continue
        for response in _call(walker, endpoint, method, tokens[level]):
            # Allowed: whatever the answer (200, 201, 400 for an empty body, 404 for a missing key),
            # it is neither a refusal of the method nor of the user.
            assert response.status_code not in (401, 403, 405), (method, response.text)
            assert response.status_code < 500, (method, response.text)
        for response in _call(walker, endpoint, method, None):
            assert response.status_code == 401, (method, response.text)
        if level > Permission.OVERVIEW:
            below = Permission(level - 1)
            for response in _call(walker, endpoint, method, tokens[below]):
                assert response.status_code == 403, (method, below, response.text)


def test_tables_without_an_endpoint_have_no_route(walker, tokens):
    served = {endpoint.table for endpoint in ENDPOINTS}
    for table in ("user", "api_token", "serial", "latest_software", "repair_workflow_history"):
        assert table not in served
        response = walker.get(f"/v1/{table}s", headers=tokens[Permission.SYSTEM])
        assert response.status_code == 404


def test_the_repo_copy_matches_the_spec():
    spec = json.loads(SPEC_COPY.read_text())
    expected = [
        {
            "table": t["name"],
            "endpoint": t["endpoint"],
            "permissions": {m: t["permissions"].get(m) for m in METHODS},
        }
        for t in spec
        if t["endpoint"]
    ]
    assert json.loads(SPEC_FILE.read_text()) == expected
    # rtc_dead_letter is listed twice, under two paths: both are served.
    paths = {e.path for e in ENDPOINTS if e.table == "rtc_dead_letter"}
    assert paths == {"/rtc_dead_letter", "/rtc_dead_letters"}
    assert all(e.table in MODELS_BY_TABLE for e in ENDPOINTS)
