"""Graceful degradation when PostgreSQL cannot be reached: every route that needs it answers 503 in the
envelope (one warning line per request in the log, never a traceback), and the API recovers by itself
once the database is back."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from core.settings import get_settings
from db.session import get_engine, get_sessionmaker
from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, unit_auth


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens on it once the socket is closed


def _rebuild_engine() -> None:
    # The engine and session factory are built once per process from the settings: build them again.
    get_sessionmaker.cache_clear()
    get_engine.cache_clear()


@contextmanager
def _database_down() -> Iterator[None]:
    """The app's engine points at a port where nothing listens (a database that is down or unreachable)."""
    settings = get_settings()
    real = settings.database_url
    settings.database_url = f"postgresql+psycopg2://postgres@127.0.0.1:{closed_port()}/smartsolar"
    _rebuild_engine()
    try:
        yield
    finally:
        get_engine().dispose()
        settings.database_url = real
        _rebuild_engine()


def test_routes_answer_503_in_the_envelope_without_tracebacks(client, db, caplog):
    unit = make_product(db)
    headers = auth_headers(db, Permission.SYSTEM)
    db.commit()
    requests = [
        ("POST", "/v1/auth/login", {"data": {"username": "someone", "password": "secret"}}),
        ("GET", "/v1/products", {"headers": headers}),
        ("GET", f"/v1/products/{unit.product_imei}", {"headers": headers}),
        ("PUT", f"/v1/products/{unit.product_imei}/enable", {"headers": headers}),
        ("GET", "/v1/rc_data", {"auth": unit_auth(unit)}),
        (
            "POST",
            "/v1/rc_data",
            {"auth": unit_auth(unit), "json": {"enable_flag": True, "tamper_flag": False, "software": "1"}},
        ),
    ]
    caplog.set_level(logging.INFO)
    with _database_down():
        for method, path, kwargs in requests:
            r = client.request(method, path, **kwargs)
            assert r.status_code == 503, (method, path, r.text)
            body = r.json()
            assert body["status"] == "error" and body["message"].startswith(
                "The database could not be reached"
            )
            assert set(body) == {"status", "message", "validation_errors", "data"}
        assert client.get("/v1/home").status_code == 200  # what needs no database still answers
    assert not [rec for rec in caplog.records if rec.exc_info], "an outage is not a traceback"
    outage_lines = [rec for rec in caplog.records if "database unavailable" in rec.getMessage()]
    assert len(outage_lines) == len(requests)  # one line per refused request

    # The database is back: the same process answers again, no restart needed.
    assert client.get(f"/v1/products/{unit.product_imei}", headers=headers).status_code == 200
    assert client.get("/v1/rc_data", auth=unit_auth(unit)).status_code == 200
