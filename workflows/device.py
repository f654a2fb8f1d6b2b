"""DeviceWorkflow (`device/<imei>`): one per unit while anything is pending for it.

It hears of change requests (signals from the API), of the unit's RC-GETs (signals), and of SMS receipts;
it settles pending changes through activities, keeps a WakeupWorkflow child running while the unit should
be woken, and ends when nothing is pending and no wake-up is in flight. The database stays the source of
truth: on start (and after long quiet periods) the workflow reloads what is pending from it.

It also follows payment commands and software updates (`pending_changed` makes it reload them; RC-GETs
say what was offered), falls back to SMS for commands the unit has not taken for a while, and stays while
a parameter is pending (the RC-POST that settles it makes it reload and end). All it
holds is one `DeviceState`, carried through continue-as-new. Behaviour added while runs were already
in deployments sits behind `workflow.patched`, decided once at the start of a run (device_patches.py).

This module is the run loop and the handlers; the steps live in base classes: device_settle.py (deliveries,
cancels, reloads), device_wakeups.py (the wake-up child, the payment SMS), device_lifecycle.py (when it has
work, sleeps, continues as new or ends), device_rtc.py (pushing to RTC units).
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import (
        ChangeRequest,
        DeviceActivity,
        DeviceInput,
        DeviceState,
        DeviceStatus,
        SendSmsInput,
        SmsReceipt,
        SmsRecord,
        UnitConnection,
        WakeupRequest,
    )
    from contracts.device_rtc import RTC_ONLINE, RtcReply
    from workflows.device_credit import CreditTracker, IgnoredCredit
    from workflows.device_lifecycle import LifecycleSteps
    from workflows.device_patches import DevicePatches
    from workflows.device_rtc import RtcPush, RtcPushSteps
    from workflows.device_settle import ACTIVITY_TIMEOUT, SettleSteps
    from workflows.device_wakeups import WakeupSteps
    from workflows.search_attributes import set_entity_id
    from workflows.wakeup import WakeupWorkflow


# Unsandboxed: the sandbox re-executed this module (class, @workflow.defn) for every new run and wrapped every
# activation, about 60% of the worker's CPU per short run; the steps modules were passed through already.
# The replay tests run it in the sandbox, so a non-deterministic call still fails there.
@workflow.defn(sandboxed=False)
class DeviceWorkflow(SettleSteps, WakeupSteps, LifecycleSteps, RtcPushSteps):
    @workflow.init
    def __init__(self, input: DeviceInput) -> None:
        # @workflow.init: an update-with-start (send_wakeup) may run before `run` does, and needs the input.
        self._input = input
        self._imei = input.imei
        self._state = input.state or DeviceState()
        self._credit: CreditTracker = CreditTracker(input.credit, self._state.credit)
        self._wakeup: workflow.ChildWorkflowHandle | None = None
        self._patches = DevicePatches()
        self._rtc = RtcPush(self._state.rtc, input.rtc_reply_timeout_seconds, active=False)

    @workflow.run
    async def run(self, input: DeviceInput) -> None:
        self._patches = DevicePatches.of_this_run()
        if not self._patches.credit:
            self._credit = IgnoredCredit(input.credit, self._state.credit)
        self._rtc.active = self._patches.rtc_push
        try:
            await self._reload_pending()
            while True:
                if self._finished():
                    # A handler still running (send_wakeup) may start more work: let it finish, then look again.
                    await workflow.wait_condition(workflow.all_handlers_finished)
                    if self._finished():
                        break
                await self._push_to_rtc_unit()
                self._describe()
                try:
                    await workflow.wait_condition(self._has_work, timeout=self._sleep_for())
                except TimeoutError:
                    if self._rtc.overdue(self._now()):
                        self._rtc.timed_out()
                        self._rtc.release_wakeups(self._state.wakeups)
                    elif self._sms_due():
                        await self._send_payment_sms(input)
                    else:
                        await self._reload_pending()
                else:
                    await self._handle_work(input)
                await self._continue_as_new_if_long(input)
        except asyncio.CancelledError:
            # Cancelled from the Temporal UI: record it like the SYSTEM endpoint would, then stop.
            await self._cancel_pending("operator (Temporal UI)")
            raise

    async def _handle_work(self, input: DeviceInput) -> None:
        if self._state.cancel_by is not None:
            await self._cancel_pending(self._state.cancel_by)
            self._state.cancel_by = None
        if self._patches.connections_first:
            await self._handle_connections()
            await self._handle_rtc_replies()
            await self._start_asked_wakeups(input)
        else:
            await self._start_asked_wakeups(input)
            await self._handle_connections()
        if self._wants_reload():
            await self._reload_pending()

    @workflow.signal
    def change_requested(self, request: ChangeRequest) -> None:
        self._state.pending[request.kind] = request.target
        # A repeated request (a retry after a lost start) asks for its wake-up once.
        if request.wakeup and request.history_id not in self._state.wakeups_asked:
            self._state.wakeups_asked.append(request.history_id)
            self._state.wakeups.append(request)

    @workflow.signal
    def unit_connected(self, connection: UnitConnection) -> None:
        self._state.connections.append(connection)

    @workflow.signal
    async def sms_receipt(self, receipt: SmsReceipt) -> None:
        await self._signal_wakeup(WakeupWorkflow.sms_receipt, receipt)

    @workflow.signal
    def cancel_pending(self, user: str) -> None:
        self._state.cancel_by = user

    @workflow.signal
    def entity_changed(self, entity_id: int | None) -> None:
        """The unit changed entity (assign/change/remove_entity)."""
        set_entity_id(entity_id)

    @workflow.signal
    def pending_changed(self, reason: str) -> None:
        """Something was written for this unit (a payment command, a software request, a unit's report)."""
        self._state.reload = True
        if reason == RTC_ONLINE:
            self._rtc.unit_online()

    @workflow.signal
    def rtc_replied(self, reply: RtcReply) -> None:
        """The RTC unit answered a pushed message (the consumer already settled what it delivered)."""
        if self._rtc.active:
            self._state.rtc.replies.append(reply)
        self._state.reload = True

    @workflow.update
    async def send_wakeup(self, request: WakeupRequest) -> SmsRecord:
        """Send one WAKEUP now (the send_wakeup endpoint) and keep watching it for its receipt."""
        sms = await workflow.execute_activity(
            DeviceActivity.SEND_WAKEUP_SMS,
            SendSmsInput(
                imei=self._imei,
                sent_at=self._now(),
                enable_history_id=request.enable_history_id,
                attempted_retries=0,
                timeout_seconds=self._input.policy.sms_timeout_seconds,
                user=request.user,
                trigger=request.trigger,
            ),
            result_type=SmsRecord,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )
        if not await self._signal_wakeup(WakeupWorkflow.track_sms, sms):
            await self._start_wakeup(self._input, request.enable_history_id, request.user, first_sms=sms)
        return sms

    @workflow.query
    def status(self) -> DeviceStatus:
        return DeviceStatus(
            imei=self._imei,
            pending=self._state.pending,
            wakeup_running=self._wakeup is not None,
            connections_seen=self._state.connections_seen,
            last_connection=self._state.last_connection,
            payment_commands=list(self._credit.commands.values()),
            software=self._credit.software,
            next_sms_at=self._credit.sms_due_at(),
            sms_rounds=self._credit.sms_rounds,
            parameters=self._state.parameters,
            rtc_path=self._rtc.path(),
            rtc_waiting_for=self._rtc.waiting_for(self._imei, self._wants()),
        )
