"""While the API runs, the webhook deliveries its requests commit start at once (not at the next sweep)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.temporal import client_for_app
from clients.webhooks import install_dispatcher
from domain.webhooks.kicks import set_dispatcher


def install_webhook_dispatch(app: FastAPI) -> None:
    """Wrap the app's lifespan: install the dispatcher on startup, put back the previous one on shutdown."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        previous = install_dispatcher(lambda: client_for_app(app), asyncio.get_running_loop())
        try:
            async with inner(application) as state:
                yield state
        finally:
            set_dispatcher(previous)

    app.router.lifespan_context = lifespan
