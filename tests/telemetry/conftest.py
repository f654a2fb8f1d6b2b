"""Every telemetry behaviour test runs on both stores: `store_backend` is parametrised."""

from __future__ import annotations

import uuid

import pytest

from core.settings import get_settings
from tests.utils.influxd import running_influxd


@pytest.fixture(scope="session")
def influxd_url(tmp_path_factory):
    """One InfluxDB for the telemetry tests (a fresh database per test keeps them apart)."""
    with running_influxd(tmp_path_factory.mktemp("influxd")) as url:
        yield url


@pytest.fixture(params=["embedded", "influx"])
def store_backend(request, monkeypatch) -> str:
    settings = get_settings()
    monkeypatch.setattr(settings, "telemetry_backend", request.param)
    if request.param == "influx":
        monkeypatch.setattr(settings, "influx_url", request.getfixturevalue("influxd_url"))
        monkeypatch.setattr(settings, "influx_database", f"test_{uuid.uuid4().hex[:12]}")
    return request.param
