"""The loop of a long-lived fleet workflow: a round, its line for the operator, a sleep; then continue-as-new.

Both sweepers (the webhook outbox and overdue SMS) run this way: one entry in the operator's list instead of
a closed workflow per round, and a history kept short by continuing as new after `rounds_per_run` rounds or
when Temporal suggests it. The commands are those each sweeper issued when it had its own loop, in the same
order, so running histories replay.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from temporalio import workflow


class RoundsInput(Protocol):
    every_seconds: float
    rounds_per_run: int


async def run_rounds(input: RoundsInput, one_round: Callable[[], Awaitable[str]]) -> None:
    """Run `one_round` (it does the work and answers the operator's line) every `every_seconds`, then
    continue as new with the same input."""
    for _ in range(input.rounds_per_run):
        workflow.set_current_details(await one_round())
        await workflow.sleep(timedelta(seconds=input.every_seconds))
        if workflow.info().is_continue_as_new_suggested():
            break
    workflow.continue_as_new(input)
