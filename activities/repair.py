"""Repair activities: every database effect of a repair workflow happens here, one transaction each.

Blocking SQLAlchemy work, so plain `def` methods (the worker runs them in its thread pool).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlTimeoutError
from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.repair import FAILED, REFUSED, RepairActivity
from core.clock import utcnow
from db.session import session_scope
from domain.errors import AppError
from domain.repairs.steps import OptionsRequest, StepCommand, apply_step, state_options
from repair_flows.records import StepOutcome
from repair_flows.spec import Option


class RepairActivities:
    """Built with the unit of work and clock they use, so tests can hand in their own."""

    def __init__(
        self,
        unit_of_work: Callable[[str], AbstractContextManager[Session]] = session_scope,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    @activity.defn(name=RepairActivity.APPLY_STEP)
    def apply_step(self, command: StepCommand) -> StepOutcome:
        """Apply a step or an undo (effects, audit rows, undo commands); idempotent per step."""
        with _refusals():
            with self._unit_of_work(command.actor) as session:
                return apply_step(session, command, self._clock())

    @activity.defn(name=RepairActivity.LOAD_OPTIONS)
    def load_options(self, request: OptionsRequest) -> dict[str, list[Option]]:
        """The database-sourced options of a state's inputs."""
        with _refusals():
            with self._unit_of_work("system:repair") as session:
                return state_options(session, request)

    def all(self) -> list[Callable]:
        return [self.apply_step, self.load_options]


@contextmanager
def _refusals() -> Iterator[None]:
    """Only a database that is down or busy is worth retrying (the workflow retries it until it passes).

    An AppError is the business saying no, anything else a bug: both fail the step at once, so the
    technician's request answers instead of waiting.
    """
    try:
        yield
    except (OperationalError, InterfaceError, DisconnectionError, SqlTimeoutError):
        raise
    except AppError as exc:
        details = {"status_code": exc.status_code, "status": exc.status}
        raise ApplicationError(exc.message, details, type=REFUSED, non_retryable=True) from exc
    except Exception as exc:
        activity.logger.exception("repair step failed")
        raise ApplicationError(f"{type(exc).__name__}: {exc}", type=FAILED, non_retryable=True) from exc
