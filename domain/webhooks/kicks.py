"""After a commit, tell this process's dispatcher which deliveries to start (or stop) right away.

The database is the source of truth; a kick only saves waiting for the sweeper. A kick that is lost
(no dispatcher here, Temporal down, the process dies) delays a delivery by one sweep, never loses it,
and a kick for rows that were rolled back finds nothing to send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

_TO_START = "webhooks.to_start"
_TO_CANCEL = "webhooks.to_cancel"


@dataclass(frozen=True)
class DeliveryRef:
    """What it takes to start or cancel one run of a delivery, without reading the database."""

    delivery_uuid: str
    run_number: int
    channel: str
    product_imei: str | None
    entity_id: int | None
    host: str

    @property
    def workflow_id(self) -> str:
        return f"webhook/{self.delivery_uuid}/{self.run_number}"


class Dispatcher(Protocol):
    """Turns committed deliveries into workflow runs. Called from any thread; must not block."""

    def start_soon(self, refs: list[DeliveryRef]) -> None: ...

    def cancel_soon(self, refs: list[DeliveryRef]) -> None: ...


_dispatcher: Dispatcher | None = None


def set_dispatcher(dispatcher: Dispatcher | None) -> Dispatcher | None:
    """Install this process's dispatcher (the API's or the worker's); returns the one it replaces."""
    global _dispatcher
    previous, _dispatcher = _dispatcher, dispatcher
    return previous


def start_after_commit(session: Session, refs: list[DeliveryRef]) -> None:
    session.info.setdefault(_TO_START, []).extend(refs)


def cancel_after_commit(session: Session, refs: list[DeliveryRef]) -> None:
    session.info.setdefault(_TO_CANCEL, []).extend(refs)


def _kick(session: Session) -> None:
    to_start, to_cancel = session.info.pop(_TO_START, []), session.info.pop(_TO_CANCEL, [])
    dispatcher = _dispatcher
    if dispatcher is None or not (to_start or to_cancel):
        return
    try:
        if to_start:
            dispatcher.start_soon(to_start)
        if to_cancel:
            dispatcher.cancel_soon(to_cancel)
    except Exception:  # noqa: BLE001 - the change is committed; the sweeper and the activity cover us
        log.warning("webhook dispatcher kick failed; the sweeper will catch up", exc_info=True)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    # A root transaction that ended without commit (rollback, close) leaves nothing to kick.
    if transaction.parent is None:
        session.info.pop(_TO_START, None)
        session.info.pop(_TO_CANCEL, None)


# Installed on every Session by `domain.webhooks.hooks.install_session_hooks` (the app and the worker).
HOOKS = [("after_commit", _kick), ("after_transaction_end", _forget)]
