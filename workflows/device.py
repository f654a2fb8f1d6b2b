"""DeviceWorkflow (`device/<imei>`): one per unit while anything is pending for it.

It hears of change requests (signals from the API), of the unit's RC-GETs (signals), and of SMS receipts;
it settles pending changes through activities, keeps a WakeupWorkflow child running while the unit should
be woken, and ends when nothing is pending and no wake-up is in flight. The database stays the source of
truth: on start (and after long quiet periods) the workflow reloads what is pending from it.

It also follows payment commands and software updates (`pending_changed` makes it reload them; RC-GETs
say what was offered), falls back to SMS for commands the unit has not taken for a while, and stays while
a parameter is pending (the RC-POST that settles it makes it reload and end). All it
holds is one `DeviceState`, carried through continue-as-new. Behaviour added while runs were already
in deployments sits behind `workflow.patched`, decided once at the start of a run (`_Patches`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import (
        CancelInput,
        ChangeRequest,
        DeviceActivity,
        DeviceInput,
        DeviceState,
        DeviceStatus,
        PaymentSmsInput,
        PaymentSmsResult,
        PendingChanges,
        RecordDeliveryInput,
        SendSmsInput,
        SmsReceipt,
        SmsRecord,
        SwitchKind,
        UnitConnection,
        WakeupInput,
        WakeupPolicy,
        WakeupRequest,
        wakeup_workflow_id,
    )
    from contracts.device_rtc import RTC_ONLINE, RtcReply
    from workflows.device_credit import CreditTracker, IgnoredCredit
    from workflows.device_rtc import RtcPush, RtcPushSteps
    from workflows.search_attributes import set_entity_id
    from workflows.wakeup import WakeupWorkflow

ACTIVITY_TIMEOUT = timedelta(seconds=30)
# With nothing heard for this long, re-read the database (an operator may have fixed things by hand).
QUIET_RECHECK = timedelta(hours=24)
# Payment commands, software updates and the SMS fallback (offers, reloads).
CREDIT_AND_SOFTWARE = "device-payment-commands-and-software-updates"
# Waiting for pending parameters (the run stays while one is pending and lists it).
PARAMETERS = "device-parameters"
# RC-GETs heard while the worker was away settle their changes before any wake-up for them is started.
CONNECTIONS_FIRST = "device-connections-before-wakeups"
# RTC units are pushed their pending changes over the broker (workflows/device_rtc.py).
RTC_PUSH = "rtc-push"


@dataclass(frozen=True)
class _Patches:
    credit: bool
    parameters: bool
    connections_first: bool
    rtc_push: bool = True

    @classmethod
    def of_this_run(cls) -> _Patches:
        credit = workflow.patched(CREDIT_AND_SOFTWARE)
        return cls(
            credit=credit,
            parameters=credit and workflow.patched(PARAMETERS),
            connections_first=workflow.patched(CONNECTIONS_FIRST),
            rtc_push=workflow.patched(RTC_PUSH),
        )


@workflow.defn
class DeviceWorkflow(RtcPushSteps):
    @workflow.init
    def __init__(self, input: DeviceInput) -> None:
        # @workflow.init: an update-with-start (send_wakeup) may run before `run` does, and needs the input.
        self._input = input
        self._imei = input.imei
        self._state = input.state or DeviceState()
        self._credit: CreditTracker = CreditTracker(input.credit, self._state.credit)
        self._wakeup: workflow.ChildWorkflowHandle | None = None
        self._patches = _Patches(credit=True, parameters=True, connections_first=True)
        self._rtc = RtcPush(self._state.rtc, input.rtc_reply_timeout_seconds, active=False)

    @workflow.run
    async def run(self, input: DeviceInput) -> None:
        self._patches = _Patches.of_this_run()
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

    def _wants_reload(self) -> bool:
        return self._state.reload and self._credit.follows_database

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

    async def _start_asked_wakeups(self, input: DeviceInput) -> None:
        self._rtc.hold_wakeups(self._state.wakeups)
        while self._state.wakeups:
            request = self._state.wakeups.pop(0)
            if request.kind in self._state.pending and self._wakeup is None:
                await self._start_wakeup(input, request.history_id, request.user, first_sms=None)

    async def _handle_connections(self) -> None:
        state = self._state
        while state.connections:
            connection = state.connections.pop(0)
            state.connections_seen += 1
            state.last_connection = connection.at
            if self._wakeup is not None:
                await self._wakeup.signal(WakeupWorkflow.unit_connected)
            offered = connection.offered_payment_commands or connection.offered_software_id is not None
            if state.pending or (self._credit.follows_database and offered):
                delivered = {
                    SwitchKind.ENABLE: connection.enable_flag,
                    SwitchKind.TAMPER: connection.tamper_flag,
                }
                delivery = RecordDeliveryInput(
                    imei=self._imei,
                    delivered=delivered,
                    at=connection.at,
                    offered_payment_commands=connection.offered_payment_commands,
                    offered_software_id=connection.offered_software_id,
                )
                self._apply(await self._activity(DeviceActivity.RECORD_DELIVERY, delivery))
            self._credit.connected(connection.offered_payment_commands, self._now())

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
        if self._wakeup is not None:
            await self._wakeup.signal(WakeupWorkflow.sms_receipt, receipt)

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
        if self._wakeup is not None:
            await self._wakeup.signal(WakeupWorkflow.track_sms, sms)
        else:
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
        await handle
        if self._wakeup is handle:
            self._wakeup = None

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
            if self._wakeup is not None:
                await self._wakeup.signal(WakeupWorkflow.track_sms, sms)
            else:
                no_retries = input.policy.model_copy(update={"max_retries": 0})
                await self._start_wakeup(
                    input, None, "system:dcm", sms, policy=no_retries, summary="Payment command SMS"
                )

    async def _cancel_pending(self, user: str) -> None:
        cancel = CancelInput(imei=self._imei, user=user)
        self._apply(await self._activity(DeviceActivity.CANCEL_PENDING, cancel))

    async def _reload_pending(self) -> None:
        # Cleared before the read: a pending_changed arriving while it runs asks for another one.
        self._state.reload = False
        self._apply(await self._activity(DeviceActivity.LOAD_PENDING, self._imei))

    async def _activity(self, name: str, arg) -> PendingChanges:
        # Short database writes: local activities, so a delivery costs no extra round trips to the server.
        return await workflow.execute_local_activity(
            name, arg, result_type=PendingChanges, start_to_close_timeout=ACTIVITY_TIMEOUT
        )

    def _apply(self, pending: PendingChanges) -> None:
        self._rtc.saw_unit(pending.rtc_unit)
        self._state.pending = dict(pending.switches)
        self._credit.update(pending.payment_commands, pending.software, self._now())
        if self._patches.parameters:
            self._state.parameters = list(pending.parameters)

    @staticmethod
    def _now() -> datetime:
        return workflow.now().replace(tzinfo=None)  # the database's timestamps are naive UTC

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
