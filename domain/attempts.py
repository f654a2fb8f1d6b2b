"""Limits on failed attempts (passwords at login, device keys at the unit endpoints), with `limits`.

Each failure is a hit on a moving window per key: the username (or imei) tried and the client's
address, so neither guessing one account from many addresses nor many accounts from one address
gets far. While any key is over its limit the caller answers 429 with `Retry-After`, before even
checking the secret. The windows live in `SMARTSOLAR_ATTEMPT_STORAGE_URI` (`memory://`: per process;
`redis://...` to share them between API processes).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from limits import RateLimitItem, parse, storage, strategies

from core.settings import get_settings
from domain.errors import TooManyRequests, Unauthorized

log = logging.getLogger(__name__)


class FailedAttempts:
    """Failed attempts per (kind, key); `kind` names what a key is (`username`, `address`, `imei`)."""

    def __init__(self, storage_uri: str, limits: dict[str, str]) -> None:
        self._storage = storage.storage_from_string(storage_uri)
        self._window = strategies.MovingWindowRateLimiter(self._storage)
        self._limits: dict[str, RateLimitItem] = {kind: parse(text) for kind, text in limits.items()}

    def ensure_allowed(self, what: str, **keys: str) -> None:
        """429 while any of `keys` has used up its failures (nothing is counted here)."""
        waits = []
        for kind, key in keys.items():
            limit = self._limits[kind]
            if not self._window.test(limit, kind, key):
                reset = self._window.get_window_stats(limit, kind, key).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        if waits:
            raise TooManyRequests(f"Too many failed {what} attempts: try again later", retry_after=max(waits))

    def failed(self, what: str, **keys: str) -> None:
        """Record one failure on every key (and in the log, without the secret tried)."""
        log.warning("failed %s attempt: %s", what, ", ".join(f"{k}={v!r}" for k, v in keys.items()))
        for kind, key in keys.items():
            self._window.hit(self._limits[kind], kind, key)

    @contextmanager
    def limiting(self, what: str, **keys: str) -> Iterator[None]:
        """Refuse (429) while over a limit; count the block's `Unauthorized` as a failure."""
        self.ensure_allowed(what, **keys)
        try:
            yield
        except Unauthorized:
            self.failed(what, **keys)
            raise

    def reset(self) -> None:
        self._storage.reset()


@lru_cache
def failed_attempts() -> FailedAttempts:
    """The process's limiter, from the settings."""
    settings = get_settings()
    return FailedAttempts(
        settings.attempt_storage_uri,
        {
            "username": settings.login_failures_per_username,
            "imei": settings.unit_failures_per_imei,
            "address": settings.failures_per_address,
        },
    )
