"""The API's Temporal client: connected on first use (bounded: an engine that is down answers 503 in
time, and the next request tries again), then shared by every request of the process."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from temporalio.client import Client

from clients.temporal import connect_bounded
from core.settings import get_settings


async def get_temporal_client(request: Request) -> Client:
    """Tests put their environment's client on `app.state.temporal_client` instead."""
    return await client_for_app(request.app)


async def client_for_app(app: FastAPI) -> Client:
    """The app's client outside a request (e.g. the webhook dispatcher's kicks after commit, RC-GET).
    Raises WorkflowUnavailable (503) when Temporal cannot be reached."""
    client = getattr(app.state, "temporal_client", None)
    if client is None:
        # Two first requests racing may both connect; one client wins, the other is dropped. Harmless.
        client = await connect_bounded(get_settings())
        app.state.temporal_client = client
    return client


TemporalDep = Annotated[Client, Depends(get_temporal_client)]
