"""Fixtures for the table API tests: one app for the whole run (it carries ~320 generated routes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from domain.permissions import Permission
from tests.utils.factories import auth_headers


@pytest.fixture(scope="session")
def table_app():
    """Routes hold no per-test state; the tests here need no overridden clock."""
    return create_app()


@pytest.fixture
def api(table_app, db) -> Iterator[TestClient]:
    """A client on an emptied database (the `db` fixture truncates every table)."""
    yield TestClient(table_app)


@pytest.fixture
def headers(db: Session) -> Callable[..., dict[str, str]]:
    """`headers()` for a SYSTEM/GLOBAL user; `headers(Permission.X, scope=Scope.ENTITY, entity_id=...)`."""

    def make(permissions: Permission = Permission.SYSTEM, **kwargs) -> dict[str, str]:
        return auth_headers(db, permissions, **kwargs)

    return make


@pytest.fixture
def system(headers) -> dict[str, str]:
    return headers()
