"""Ending a request's transaction hands its connection back, so it must not wait for a thread of the default
pool: under a burst all of them can be requests waiting for a connection, and the pool would deadlock until
its checkout timeout (a fleet soak at 70 connections/s did, with units' RM-POSTs idle in transaction)."""

from __future__ import annotations

import anyio
import anyio.to_thread
from sqlalchemy import select

from api.deps import get_request_session
from db.models.product import Product


async def test_a_transaction_ends_while_every_default_thread_is_taken(db):
    default = anyio.to_thread.current_default_thread_limiter()
    holders = [object() for _ in range(int(default.total_tokens))]
    for holder in holders:
        await default.acquire_on_behalf_of(holder)
    try:
        sessions = get_request_session()
        session = await anext(sessions)
        session.execute(select(Product.product_imei).limit(1))  # a transaction is open, a connection held
        assert session.in_transaction()
        with anyio.fail_after(10):  # a deadlock fails the test instead of hanging it
            await anext(sessions, None)
        assert not session.in_transaction()
    finally:
        for holder in holders:
            default.release_on_behalf_of(holder)
