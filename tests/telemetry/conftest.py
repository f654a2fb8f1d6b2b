"""Every telemetry behaviour test runs on both stores: `store_backend` is parametrised."""

from __future__ import annotations

import uuid

import pytest

from core.settings import get_settings
from domain.permissions import Permission
from domain.telemetry.service import open_store
from tests.telemetry.data import DATASET, T0, write
from tests.utils.factories import auth_headers, make_product
from tests.utils.influxd import running_influxd


@pytest.fixture(scope="session")
def influxd_url(tmp_path_factory):
    """One InfluxDB for the telemetry tests (a fresh database per test keeps them apart)."""
    with running_influxd(tmp_path_factory.mktemp("influxd")) as url:
        yield url


@pytest.fixture(scope="session")
def influx_database(influxd_url) -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["embedded", "influx"])
def store_backend(request, monkeypatch) -> str:
    settings = get_settings()
    monkeypatch.setattr(settings, "telemetry_backend", request.param)
    if request.param == "influx":
        monkeypatch.setattr(settings, "influx_url", request.getfixturevalue("influxd_url"))
        monkeypatch.setattr(settings, "influx_database", request.getfixturevalue("influx_database"))
        # One database for the run: every test's unit has an imei of its own (a new database costs seconds).
        open_store(settings, None).ensure_schema()
    return request.param


@pytest.fixture
def unit(db):
    return make_product(db)


@pytest.fixture
def headers(db):
    return auth_headers(db, Permission.TECHNICAL)


@pytest.fixture
def dataset(client, unit, headers):
    fields = {
        name: [[T0 + i * 4 * 3600 * 1000, v] for i, v in enumerate(values) if v is not None]
        for name, values in DATASET.items()
    }
    assert write(client, unit, headers, {"fields": fields}).status_code == 200
