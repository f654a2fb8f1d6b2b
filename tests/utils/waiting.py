"""Waiting for something a workflow does in the background (a bound, not a speed assertion)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(check: Callable[[], T], *, within: float = 30.0, every: float = 0.05) -> T:
    """Call `check` until it returns something truthy; fail with its last value after `within` seconds.
    `check` may be a coroutine function (e.g. a workflow query)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still {value!r} after {within}s")
        await asyncio.sleep(every)
