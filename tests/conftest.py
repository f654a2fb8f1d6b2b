"""Test set-up: a fresh PostgreSQL database per test process (migrated by Alembic), and the real Temporal
servers.

Under pytest-xdist (`make test`) every worker process imports this module, so each has its own database
(named by its pid and worker id) and its own session fixtures (the dev server, InfluxDB, Chromium); the
controller process runs no tests and only checks that PostgreSQL answers. The environment is set before
any project module reads the settings.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_SERVER = os.environ.get("SMARTSOLAR_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under xdist
TEST_DB = f"smartsolar_test_{os.getpid()}_{XDIST_WORKER}_{uuid.uuid4().hex[:6]}"
os.environ["SMARTSOLAR_DATABASE_URL"] = f"{PG_SERVER}/{TEST_DB}"
os.environ["SMARTSOLAR_PASSWORD_HASH_COST"] = "16"  # scrypt stays scrypt, just cheap for tests
# The tests' webhook receivers listen on 127.0.0.1, which webhooks may not reach without this.
os.environ.setdefault("SMARTSOLAR_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")
os.environ.setdefault("SMARTSOLAR_TASK_QUEUE", "smartsolar-test")

from sqlalchemy import create_engine, text  # noqa: E402

pytest_plugins = ["tests.utils.fixtures"]


def _admin_engine():
    return create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def _is_xdist_controller(config: pytest.Config) -> bool:
    """The process that hands tests to the workers (`-n N`, N > 0) and runs none itself."""
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", 0))


def pytest_sessionstart(session: pytest.Session) -> None:
    controller = _is_xdist_controller(session.config)
    try:
        engine = _admin_engine()
        with engine.connect() as conn:
            if not controller:
                conn.execute(text(f'CREATE DATABASE "{TEST_DB}"'))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure here means "no PostgreSQL"
        pytest.exit(
            f"PostgreSQL is not reachable at {PG_SERVER} ({exc.__class__.__name__}: {exc}).\n"
            "The suite needs a PostgreSQL server with trust auth at 127.0.0.1:5432 "
            "(or set SMARTSOLAR_TEST_PG=postgresql+psycopg2://user@host:port).",
            returncode=3,
        )
    if controller:
        return
    from smartsolar.run import migrate

    migrate(os.environ["SMARTSOLAR_DATABASE_URL"])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _is_xdist_controller(session.config):
        return
    from db.session import get_engine

    get_engine().dispose()
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)'))
    engine.dispose()
