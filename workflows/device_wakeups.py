"""DeviceWorkflow's wake-up steps: the WakeupWorkflow child (`wakeup/<imei>`) started for an enable or a
disable that asked for one, or for an on-demand WAKEUP, and the SMS fallback for payment commands the unit
has not taken for a while (their SMS watched by a child that sends no WAKEUP retries). One child at a
time; `_wakeup` is its handle while it runs.

A base class, so device.py keeps only the run loop and the handlers: it uses DeviceWorkflow's `_imei`,
`_state`, `_credit`, `_rtc`, `_wakeup`, `_reload_pending` and `_now`.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from contracts.device import (
        DeviceActivity,
        DeviceInput,
        PaymentSmsInput,
        PaymentSmsResult,
        SmsRecord,
        WakeupInput,
        WakeupPolicy,
        wakeup_workflow_id,
    )
    from workflows.device_settle import ACTIVITY_TIMEOUT
    from workflows.wakeup import WakeupWorkflow

# The failure type a signal gets when the server no longer finds its target (the child had closed).
SIGNAL_NOT_DELIVERED = "ExternalWorkflowExecutionNotFound"


class WakeupSteps:
    async def _start_asked_wakeups(self, input: DeviceInput) -> None:
        self._rtc.hold_wakeups(self._state.wakeups)
        while self._state.wakeups:
            request = self._state.wakeups.pop(0)
            if request.kind in self._state.pending and self._wakeup is None:
                await self._start_wakeup(input, request.history_id, request.user, first_sms=None)

    async def _start_wakeup(
        self,
        input: DeviceInput,
        history_id: int | None,
        user: str,
        first_sms: SmsRecord | None,
        policy: WakeupPolicy | None = None,
        summary: str = "Wake-up SMS",
    ) -> None:
        self._wakeup = await workflow.start_child_workflow(
            WakeupWorkflow.run,
            WakeupInput(
                imei=input.imei,
                policy=policy or input.policy,
                enable_history_id=history_id,
                user=user,
                first_sms=first_sms,
            ),
            id=wakeup_workflow_id(input.imei),
            # The unit's own attributes (ProductImei, EntityId), so the operator finds its wake-ups too.
            search_attributes=workflow.info().typed_search_attributes,
            static_summary=f"{summary} for unit {input.imei}",
        )
        asyncio.create_task(self._forget_wakeup_when_done(self._wakeup))

    async def _forget_wakeup_when_done(self, handle) -> None:
        if not self._patches.closed_wakeup:
            await handle
        else:
            try:
                await handle
            except ChildWorkflowError:  # terminated or failed: gone all the same
                pass
        if self._wakeup is handle:
            self._wakeup = None

    async def _signal_wakeup(self, signal, *args) -> bool:
        """Signal the running wake-up child; False when there is none. A child can close before this run
        hears of it (it ends at the connection the run is still settling): the server then refuses the
        signal, and the child is forgotten, as it would be a moment later."""
        handle = self._wakeup
        if handle is None:
            return False
        if not self._patches.closed_wakeup:
            await handle.signal(signal, *args)
            return True
        try:
            await handle.signal(signal, *args)
        except ApplicationError as err:
            if err.type != SIGNAL_NOT_DELIVERED:
                raise
            workflow.logger.info("wake-up child %s had closed: %s", handle.id, err.message)
            if self._wakeup is handle:
                self._wakeup = None
            return False
        return True

    async def _send_payment_sms(self, input: DeviceInput) -> None:
        """The SMS fallback: every outstanding command, one SMS each, watched for its receipt by the wake-up
        child (which sends no WAKEUP retries for them)."""
        now = self._now()
        result = await workflow.execute_activity(
            DeviceActivity.SEND_PAYMENT_SMS,
            PaymentSmsInput(
                imei=self._imei,
                transaction_ids=list(self._credit.commands),
                sent_at=now,
                timeout_seconds=input.credit.sms_timeout_seconds,
                attempted_retries=self._credit.sms_rounds,
            ),
            result_type=PaymentSmsResult,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )
        self._credit.sms_sent(result.transaction_ids, now)
        if not result.transaction_ids:  # acknowledged meanwhile: catch up with the database
            await self._reload_pending()
        for sms in result.sms:
            if not await self._signal_wakeup(WakeupWorkflow.track_sms, sms):
                no_retries = input.policy.model_copy(update={"max_retries": 0})
                await self._start_wakeup(
                    input, None, "system:dcm", sms, policy=no_retries, summary="Payment command SMS"
                )
