"""Housekeeping that runs on a Temporal schedule."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.maintenance import MaintenanceActivity


@workflow.defn
class PurgeExpiredTokensWorkflow:
    """Deletes API tokens whose sliding expiry has passed; scheduled hourly by the worker."""

    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity(
            MaintenanceActivity.PURGE_EXPIRED_TOKENS,
            result_type=int,
            start_to_close_timeout=timedelta(minutes=1),
        )
