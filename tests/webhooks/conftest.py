"""Fixtures for the webhook tests: the channels, a real receiver on loopback, the dispatcher, fast retries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from clients.webhooks import install_dispatcher
from core.settings import get_settings
from domain.webhooks.kicks import set_dispatcher
from domain.webhooks.subscriptions import ensure_channels
from tests.webhooks.receiver import WebhookReceiver


@pytest.fixture
def channels(db) -> None:
    """The `db` fixture empties every table, the migration's channels too."""
    ensure_channels(db)
    db.commit()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fast_retries(monkeypatch) -> None:
    """Sub-second backoff so a test sees several retries; the 3-day policy has its own test."""
    settings = get_settings()
    monkeypatch.setattr(settings, "webhook_retry_initial_seconds", 0.2)
    monkeypatch.setattr(settings, "webhook_retry_backoff_coefficient", 1.5)
    monkeypatch.setattr(settings, "webhook_retry_max_interval_seconds", 0.5)
    monkeypatch.setattr(settings, "webhook_timeout_seconds", 5)


@pytest.fixture
async def dispatcher(stack) -> AsyncIterator[None]:
    """What the API's lifespan and the worker install: kicks after commit start deliveries at once."""
    previous = install_dispatcher(stack.client, asyncio.get_running_loop())
    try:
        yield
    finally:
        set_dispatcher(previous)
