"""Housekeeping that runs on a Temporal schedule."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.maintenance import MaintenanceActivity, SmsExpiryInput

from workflows.rounds import run_rounds


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


@workflow.defn
class SmsExpirySweeper:
    """One long-lived workflow for the fleet: every `every_seconds`, the SMS past their timeout without a
    receipt become Expired. No unit's workflow stays open for its SMS once the unit has connected."""

    def __init__(self) -> None:
        self._expired = 0

    @workflow.run
    async def run(self, input: SmsExpiryInput) -> None:
        async def expire_overdue() -> str:
            self._expired += await workflow.execute_local_activity(
                MaintenanceActivity.EXPIRE_OVERDUE_SMS,
                result_type=int,
                start_to_close_timeout=timedelta(minutes=1),
            )
            return (
                f"Expires SMS past their timeout every {input.every_seconds:g} s; "
                f"{self._expired} expired by this run"
            )

        await run_rounds(input, expire_overdue)
