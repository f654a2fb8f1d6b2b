"""Housekeeping that runs on a Temporal schedule."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.maintenance import purge_expired_tokens


@workflow.defn
class PurgeExpiredTokensWorkflow:
    """Deletes API tokens whose sliding expiry has passed; scheduled hourly by `make run`."""

    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity(
            purge_expired_tokens, start_to_close_timeout=timedelta(minutes=1)
        )
