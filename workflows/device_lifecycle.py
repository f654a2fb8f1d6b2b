"""DeviceWorkflow's life: when it has work, how long it sleeps, when it is finished (nothing pending, no
wake-up in flight), when it continues as new carrying its `DeviceState`, and what it tells the operator it
waits for (the current details).

A base class, so device.py keeps only the run loop and the handlers: it uses DeviceWorkflow's `_imei`,
`_state`, `_credit`, `_rtc`, `_wakeup`, `_patches`, `_wants_reload` and `_now`.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import DeviceInput

# With nothing heard for this long, re-read the database (an operator may have fixed things by hand).
QUIET_RECHECK = timedelta(hours=24)


class LifecycleSteps:
    def _finished(self) -> bool:
        s = self._state
        busy = s.pending or self._wakeup is not None or s.connections or s.wakeups or s.cancel_by
        waiting_parameters = self._patches.parameters and s.parameters
        return not (busy or waiting_parameters or self._credit.pending or self._wants_reload())

    def _has_work(self) -> bool:
        s = self._state
        busy = s.connections or s.wakeups or s.cancel_by or self._rtc.has_replies() or self._wants_reload()
        return bool(busy) or self._finished()

    def _sleep_for(self) -> timedelta:
        dues = [due for due in (self._credit.sms_due_at(), self._rtc.due_at()) if due is not None]
        if not dues:
            return QUIET_RECHECK
        return min(QUIET_RECHECK, max(min(dues) - self._now(), timedelta(milliseconds=1)))

    def _sms_due(self) -> bool:
        due = self._credit.sms_due_at()
        return due is not None and self._now() >= due

    async def _continue_as_new_if_long(self, input: DeviceInput) -> None:
        """Start a fresh history carrying this run's state, never from a handler and never while a wake-up
        child runs (it would be closed with this run)."""
        info = workflow.info()
        limit = input.max_history_events
        long = info.is_continue_as_new_suggested() or (
            limit is not None and info.get_current_history_length() >= limit
        )
        if not long or self._wakeup is not None:
            return
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._wakeup is None:
            workflow.continue_as_new(
                input.model_copy(update={"state": self._state}),
                search_attributes=info.typed_search_attributes,
            )

    def _wants(self) -> str:
        wants = [f"{kind.value}={'on' if flag else 'off'}" for kind, flag in self._state.pending.items()]
        if self._credit.pending:
            wants.append(self._credit.describe())
        wants.extend(parameter.describe() for parameter in self._state.parameters)
        return ", ".join(wants)

    def _describe(self) -> None:
        wants = self._wants()
        on_rtc = self._rtc.waiting_for(self._imei, wants) if wants else None
        if on_rtc:
            detail = on_rtc
        elif wants:
            detail = f"Waiting for unit {self._imei} to connect (RC-GET) to deliver: {wants}"
        else:
            detail = f"Nothing pending for unit {self._imei}; waiting for the wake-up SMS to finish"
        if self._wakeup is not None:
            detail += "; wake-up SMS in flight"
        workflow.set_current_details(detail)
