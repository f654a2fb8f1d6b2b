"""DeviceWorkflow's settle and reload steps: what an RC-GET delivered settles its changes (a local activity
that writes the `enabled`/`disabled` rows and the offers), an operator's cancel gives them up, and a reload
reads what is pending from the database, the source of truth. Each answers what is still pending, which
`_apply` takes as the run's view.

A base class, so device.py keeps only the run loop and the handlers: it uses DeviceWorkflow's `_imei`,
`_state`, `_credit`, `_rtc`, `_wakeup` and `_patches`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import (
        CancelInput,
        DeviceActivity,
        PendingChanges,
        RecordDeliveryInput,
        SwitchKind,
    )
    from workflows.wakeup import WakeupWorkflow

ACTIVITY_TIMEOUT = timedelta(seconds=30)


class SettleSteps:
    def _wants_reload(self) -> bool:
        return self._state.reload and self._credit.follows_database

    async def _handle_connections(self) -> None:
        state = self._state
        while state.connections:
            connection = state.connections.pop(0)
            state.connections_seen += 1
            state.last_connection = connection.at
            await self._signal_wakeup(WakeupWorkflow.unit_connected)
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
                    recorded=connection.recorded,
                )
                self._apply(await self._activity(DeviceActivity.RECORD_DELIVERY, delivery))
            self._credit.connected(connection.offered_payment_commands, self._now())

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
