"""DeviceWorkflow (`device/<imei>`): one per unit while anything is pending for it.

It hears of change requests (signals from the API), of the unit's RC-GETs (signals), and of SMS receipts;
it settles pending changes through activities, keeps a WakeupWorkflow child running while the unit should
be woken, and ends when nothing is pending and no wake-up is in flight. The database stays the source of
truth: on start (and after long quiet periods) the workflow reloads what is pending from it.

Since issue 6 it also follows payment commands and software updates (`pending_changed` makes it reload them;
RC-GETs say what was offered), and falls back to SMS for commands the unit has not taken for a while. Runs
started before that keep the old behaviour (`workflow.patched(CREDIT_AND_SOFTWARE)`); they end as before, and
the next RC-GET or request starts a run that has it. Likewise runs started since `workflow.patched(PARAMETERS)`
stay while a parameter is pending (listing it in the status query and the details); the RC-POST that settles
it makes them reload and end.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.dcm import CreditActivities, PaymentSmsInput
    from activities.device import CancelInput, DeliveryInput, DeviceActivities, SendSmsInput
    from domain.device.models import (
        ChangeRequest,
        DeviceInput,
        DeviceStatus,
        PendingChanges,
        PendingParameter,
        SmsReceipt,
        SmsRecord,
        SwitchKind,
        UnitConnection,
        WakeupPolicy,
        WakeupRequest,
    )
    from workflows.device_credit import CreditTracker
    from workflows.search_attributes import set_entity_id
    from workflows.wakeup import WakeupInput, WakeupWorkflow

ACTIVITY_TIMEOUT = timedelta(seconds=30)
# With nothing heard for this long, re-read the database (an operator may have fixed things by hand).
QUIET_RECHECK = timedelta(hours=24)
# The patch behind everything issue 6 added to the command sequence (offers, reloads, SMS fallback).
CREDIT_AND_SOFTWARE = "device-payment-commands-and-software-updates"
# The patch behind waiting for pending parameters (the run stays while one is pending and lists it).
PARAMETERS = "device-parameters"


@workflow.defn
class DeviceWorkflow:
    @workflow.init
    def __init__(self, input: DeviceInput) -> None:
        # @workflow.init: an update-with-start (send_wakeup) may run before `run` does, and needs the input.
        self._input = input
        self._imei = input.imei
        self._pending: dict[SwitchKind, bool] = {}
        self._connections: list[UnitConnection] = []
        self._wakeups: list[ChangeRequest] = []
        self._cancel_by: str | None = None
        self._wakeup: workflow.ChildWorkflowHandle | None = None
        self._connections_seen = 0
        self._last_connection: datetime | None = None
        self._credit = CreditTracker(input.credit)
        self._reload = False  # pending_changed: something was written for this unit; read it again
        self._with_credit = False  # set by `run`: whether this run follows commands and software
        self._parameters: list[PendingParameter] = []
        self._with_parameters = False  # set by `run`: whether this run waits for pending parameters

    @workflow.run
    async def run(self, input: DeviceInput) -> None:
        self._with_credit = workflow.patched(CREDIT_AND_SOFTWARE)
        self._with_parameters = self._with_credit and workflow.patched(PARAMETERS)
        try:
            await self._reload_pending()
            while True:
                if self._finished():
                    # A handler still running (send_wakeup) may start more work: let it finish, then look again.
                    await workflow.wait_condition(workflow.all_handlers_finished)
                    if self._finished():
                        break
                self._describe()
                try:
                    await workflow.wait_condition(self._has_work, timeout=self._sleep_for())
                except TimeoutError:
                    if self._sms_due():
                        await self._send_payment_sms(input)
                    else:
                        await self._reload_pending()
                    continue
                await self._handle_work(input)
                if workflow.info().is_continue_as_new_suggested() and self._wakeup is None:
                    await workflow.wait_condition(workflow.all_handlers_finished)
                    workflow.continue_as_new(input)
        except asyncio.CancelledError:
            # Cancelled from the Temporal UI: record it like the SYSTEM endpoint would, then stop.
            await self._cancel_pending("operator (Temporal UI)")
            raise

    def _finished(self) -> bool:
        busy = (
            self._pending or self._wakeup is not None or self._connections or self._wakeups or self._cancel_by
        )
        waiting_parameters = self._with_parameters and self._parameters
        return not (
            busy or waiting_parameters or (self._with_credit and (self._credit.pending or self._reload))
        )

    def _has_work(self) -> bool:
        reload = self._with_credit and self._reload
        return bool(self._connections or self._wakeups or self._cancel_by or reload) or self._finished()

    def _sleep_for(self) -> timedelta:
        due = self._credit.sms_due_at() if self._with_credit else None
        if due is None:
            return QUIET_RECHECK
        return min(QUIET_RECHECK, max(due - self._now(), timedelta(milliseconds=1)))

    def _sms_due(self) -> bool:
        due = self._credit.sms_due_at() if self._with_credit else None
        return due is not None and self._now() >= due

    async def _handle_work(self, input: DeviceInput) -> None:
        if self._cancel_by is not None:
            await self._cancel_pending(self._cancel_by)
            self._cancel_by = None
        while self._wakeups:
            request = self._wakeups.pop(0)
            if request.kind in self._pending and self._wakeup is None:
                await self._start_wakeup(input, request.history_id, request.user, first_sms=None)
        while self._connections:
            connection = self._connections.pop(0)
            self._connections_seen += 1
            self._last_connection = connection.at
            if self._wakeup is not None:
                await self._wakeup.signal(WakeupWorkflow.unit_connected)
            offered = connection.offered_payment_commands or connection.offered_software_id is not None
            if self._pending or (self._with_credit and offered):
                delivered = {
                    SwitchKind.ENABLE: connection.enable_flag,
                    SwitchKind.TAMPER: connection.tamper_flag,
                }
                self._apply(
                    await self._activity(
                        DeviceActivities.record_delivery,
                        DeliveryInput(
                            imei=self._imei,
                            delivered=delivered,
                            at=connection.at,
                            offered_payment_commands=connection.offered_payment_commands,
                            offered_software_id=connection.offered_software_id,
                        ),
                    )
                )
            if self._with_credit:
                self._credit.connected(connection.offered_payment_commands, self._now())
        if self._with_credit and self._reload:
            await self._reload_pending()

    @workflow.signal
    def change_requested(self, request: ChangeRequest) -> None:
        self._pending[request.kind] = request.target
        if request.wakeup:
            self._wakeups.append(request)

    @workflow.signal
    def unit_connected(self, connection: UnitConnection) -> None:
        self._connections.append(connection)

    @workflow.signal
    async def sms_receipt(self, receipt: SmsReceipt) -> None:
        if self._wakeup is not None:
            await self._wakeup.signal(WakeupWorkflow.sms_receipt, receipt)

    @workflow.signal
    def cancel_pending(self, user: str) -> None:
        self._cancel_by = user

    @workflow.signal
    def entity_changed(self, entity_id: int | None) -> None:
        """The unit changed entity (assign/change/remove_entity)."""
        set_entity_id(entity_id)

    @workflow.signal
    def pending_changed(self, reason: str) -> None:
        """Something was written for this unit (a payment command, a software request, a unit's report)."""
        self._reload = True

    @workflow.update
    async def send_wakeup(self, request: WakeupRequest) -> SmsRecord:
        """Send one WAKEUP now (the send_wakeup endpoint) and keep watching it for its receipt."""
        sms = await workflow.execute_activity_method(
            DeviceActivities.send_wakeup_sms,
            SendSmsInput(
                imei=self._imei,
                sent_at=workflow.now().replace(tzinfo=None),
                enable_history_id=request.enable_history_id,
                attempted_retries=0,
                timeout_seconds=self._input.policy.sms_timeout_seconds,
                user=request.user,
                trigger=request.trigger,
            ),
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
            pending=self._pending,
            wakeup_running=self._wakeup is not None,
            connections_seen=self._connections_seen,
            last_connection=self._last_connection,
            payment_commands=list(self._credit.commands.values()),
            software=self._credit.software,
            next_sms_at=self._credit.sms_due_at(),
            parameters=self._parameters,
        )

    async def _start_wakeup(
        self,
        input: DeviceInput,
        history_id: int | None,
        user: str,
        first_sms,
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
            id=f"wakeup/{input.imei}",  # one wake-up at a time per unit
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
        result = await workflow.execute_activity_method(
            CreditActivities.send_payment_sms,
            PaymentSmsInput(
                imei=self._imei,
                transaction_ids=list(self._credit.commands),
                sent_at=now,
                timeout_seconds=input.credit.sms_timeout_seconds,
                attempted_retries=self._credit.sms_rounds,
            ),
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
        self._apply(
            await self._activity(
                DeviceActivities.cancel_pending_changes, CancelInput(imei=self._imei, user=user)
            )
        )

    async def _reload_pending(self) -> None:
        # Cleared before the read: a pending_changed arriving while it runs asks for another one.
        self._reload = False
        self._apply(await self._activity(DeviceActivities.load_pending_changes, self._imei))

    async def _activity(self, method, arg) -> PendingChanges:
        # Short database writes: local activities, so a delivery costs no extra round trips to the server.
        return await workflow.execute_local_activity_method(
            method, arg, start_to_close_timeout=ACTIVITY_TIMEOUT
        )

    def _apply(self, pending: PendingChanges) -> None:
        self._pending = dict(pending.switches)
        if self._with_credit:
            self._credit.update(pending.payment_commands, pending.software, self._now())
        if self._with_parameters:
            self._parameters = list(pending.parameters)

    @staticmethod
    def _now() -> datetime:
        return workflow.now().replace(tzinfo=None)  # the database's timestamps are naive UTC

    def _describe(self) -> None:
        wants = [f"{kind.value}={'on' if flag else 'off'}" for kind, flag in self._pending.items()]
        if self._with_credit and self._credit.pending:
            wants.append(self._credit.describe())
        if self._with_parameters:
            wants.extend(parameter.describe() for parameter in self._parameters)
        if wants:
            detail = f"Waiting for unit {self._imei} to connect (RC-GET) to deliver: {', '.join(wants)}"
        else:
            detail = f"Nothing pending for unit {self._imei}; waiting for the wake-up SMS to finish"
        if self._wakeup is not None:
            detail += "; wake-up SMS in flight"
        workflow.set_current_details(detail)
