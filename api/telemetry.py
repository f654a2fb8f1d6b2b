"""The telemetry store a request writes to and reads from, as chosen by the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.deps import SessionDep
from core.settings import get_settings
from domain.telemetry.service import open_store
from domain.telemetry.store import TelemetryStore


async def get_telemetry_store(session: SessionDep) -> TelemetryStore:
    # No I/O (InfluxDB's store is one per process; the embedded one wraps the session): async, so FastAPI
    # does not hop to a worker thread for it.
    return open_store(get_settings(), session)


TelemetryStoreDep = Annotated[TelemetryStore, Depends(get_telemetry_store)]
