"""The session hooks webhooks need, installed explicitly by each process that writes (the API app, the
worker, the tests), never as a side effect of importing a module: alert changes become product-alert
events at flush, and committed deliveries are kicked to this process's dispatcher after commit."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from domain.webhooks import alert_events, kicks


def install_session_hooks() -> None:
    """Idempotent: a second call (the app built twice, app and worker in one process) adds nothing."""
    for name, hook in [*alert_events.HOOKS, *kicks.HOOKS]:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def remove_session_hooks() -> None:
    """For tests that need a process without them."""
    for name, hook in [*alert_events.HOOKS, *kicks.HOOKS]:
        if event.contains(Session, name, hook):
            event.remove(Session, name, hook)
