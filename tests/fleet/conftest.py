"""Fixtures for the fleet views: one small fleet per test module (the views only read it), and a
client on the shared app whose clock is the fleet's `now`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.deps import get_clock
from core.clock import utcnow
from db.session import get_sessionmaker
from tests.utils.fixtures import truncate_all
from tests.utils.fleet_data import Fleet, build_fleet


@pytest.fixture(scope="module")
def fleet_session() -> Iterator[Session]:
    truncate_all()
    session = get_sessionmaker()(info={"actor": "factory@example.com"}, expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@pytest.fixture(scope="module")
def fleet(fleet_session: Session) -> Fleet:
    return build_fleet(fleet_session, utcnow().replace(microsecond=0))


@pytest.fixture(scope="module")
def api(shared_app, fleet: Fleet) -> Iterator[TestClient]:
    shared_app.dependency_overrides[get_clock] = lambda: lambda: fleet.now
    try:
        yield TestClient(shared_app)
    finally:
        shared_app.dependency_overrides.clear()
