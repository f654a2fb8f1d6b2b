"""The device workflow's RTC path: push what is pending to an RTC unit at once, and wait for its reply.

For a unit with `product.rtc_enabled_flag` the workflow does not wait for an RC-GET: whenever something new is
pending (a switch, payment commands, software, parameters) it publishes the RC-GET answer as one STATE
message (an activity) and waits up to `rtc_reply_timeout_seconds` for the unit's reply, which the RTC consumer
settles in the database (as an RC-GET delivery) and signals. Its wake-up SMS are held meanwhile. No reply in
time, a unit with no link, a broker that is away or a unit saying it could not apply it: the run falls back to
the RC-GET path (the held wake-ups start) until something new is pending or the unit comes online again.

Plain state in `RtcPushState` (carried through continue-as-new); runs from before it (`active=False`) keep
none of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from contracts.device import ChangeRequest, DeviceActivity, DeviceState
    from contracts.device_rtc import PushOutcome, RtcPushInput, RtcPushResult, RtcPushState, RtcReply
    from workflows.wakeup import WakeupWorkflow

PUSH_TIMEOUT = timedelta(seconds=30)
PUSH_RETRY = RetryPolicy(maximum_attempts=3, initial_interval=timedelta(seconds=1))

FALLBACK_REASONS = {
    PushOutcome.NO_LINK: "no RTC link",
    PushOutcome.BROKER_UNAVAILABLE: "broker unavailable",
}


def pending_items(state: DeviceState) -> list[str]:
    """What is pending, one item per change, so a push is due only when something new is among them."""
    items = [f"{kind.value}={flag}" for kind, flag in sorted(state.pending.items())]
    items += [f"command {transaction_id}" for transaction_id in sorted(state.credit.commands)]
    if state.credit.software is not None:
        items.append(f"software {state.credit.software.product_software_linker_id}")
    items += [f"parameter {p.part_id}/{p.parameter_type}={p.value}" for p in state.parameters]
    return items


class RtcPush:
    def __init__(self, state: RtcPushState, reply_timeout_seconds: float, active: bool) -> None:
        self.state = state
        self._timeout = timedelta(seconds=reply_timeout_seconds)
        self.active = active

    @property
    def on_push_path(self) -> bool:
        return self.active and self.state.unit and self.state.fallback is None

    def saw_unit(self, rtc_unit: bool) -> None:
        if self.active:
            self.state.unit = rtc_unit

    def wants_push(self, items: list[str]) -> bool:
        return self.active and self.state.unit and bool(set(items) - set(self.state.pushed))

    def hold_wakeups(self, wakeups: list[ChangeRequest]) -> None:
        """On the push path a wake-up SMS waits: the unit is reached over its link first."""
        if self.on_push_path:
            self.state.held_wakeups.extend(wakeups)
            wakeups.clear()

    def release_wakeups(self, wakeups: list[ChangeRequest]) -> None:
        if self.state.fallback is not None and self.state.held_wakeups:
            wakeups.extend(self.state.held_wakeups)
            self.state.held_wakeups = []

    async def publish(self, imei: str, now: datetime) -> RtcPushResult | None:
        message_id = workflow.uuid4().hex[:16]
        try:
            result = await workflow.execute_local_activity(
                DeviceActivity.PUSH_RTC_STATE,
                RtcPushInput(imei=imei, message_id=message_id, at=now),
                result_type=RtcPushResult,
                start_to_close_timeout=PUSH_TIMEOUT,
                retry_policy=PUSH_RETRY,
            )
        except ActivityError:
            self.fall_back("the push failed")
            return None
        if result.outcome is PushOutcome.PUBLISHED:
            self.state.in_flight, self.state.reply_due = message_id, now + self._timeout
            self.state.fallback = None
            self.state.pushes += 1
        elif result.outcome in FALLBACK_REASONS:
            self.fall_back(FALLBACK_REASONS[result.outcome])
        return result

    def pushed(self, items: list[str]) -> None:
        """What the message carried (read back by the activity): pushed again only when something is new."""
        self.state.pushed = items

    def due_at(self) -> datetime | None:
        return self.state.reply_due if self.state.in_flight is not None else None

    def overdue(self, now: datetime) -> bool:
        due = self.due_at()
        return due is not None and now >= due

    def fall_back(self, reason: str) -> None:
        self.state.in_flight = self.state.reply_due = None
        self.state.fallback = reason

    def timed_out(self) -> None:
        self.fall_back(f"no reply within {self._timeout.total_seconds():g} s")

    def has_replies(self) -> bool:
        return bool(self.state.replies)

    def take_replies(self) -> list[RtcReply]:
        replies, self.state.replies = self.state.replies, []
        for reply in replies:
            if reply.message_id != self.state.in_flight:
                continue  # a late reply to an older push: it settled what it carried all the same
            self.state.in_flight = self.state.reply_due = None
            if reply.delivered:
                self.state.held_wakeups = []  # the push carried their changes
            else:
                self.fall_back("the unit could not apply it")
        return replies

    def unit_online(self) -> None:
        """The unit came online: push what is pending again, even what an earlier push carried."""
        self.state.pushed = []

    def path(self) -> str | None:
        if not (self.active and self.state.unit):
            return None
        return "rc-get" if self.state.fallback is not None else "push"

    def waiting_for(self, imei: str, wants: str) -> str | None:
        """The operator's line (the Web UI's workflow details) for an RTC unit; None for other units."""
        path = self.path()
        if path is None:
            return None
        if path == "rc-get":
            return (
                f"RTC unit {imei} on the RC-GET path ({self.state.fallback}): waiting for it to connect "
                f"(RC-GET) to deliver: {wants}"
            )
        if self.state.in_flight is not None:
            return (
                f"RTC unit {imei}: pushed over RTC (message {self.state.in_flight}): {wants}; waiting for its "
                f"reply until {self.state.reply_due:%H:%M:%S} UTC, then RC-GET and wake-up SMS"
            )
        return f"RTC unit {imei}: delivered over RTC; waiting for its status report to confirm: {wants}"


class RtcPushSteps:
    """DeviceWorkflow's RTC steps (a base class, so device.py keeps only the hooks): they use its `_rtc`,
    `_state`, `_credit`, `_wakeup`, `_apply` and `_now`."""

    async def _handle_rtc_replies(self) -> None:
        """The RTC consumer settled what a pushed STATE carried (as an RC-GET delivery): count it as the unit
        being reached, then read what is left."""
        for reply in self._rtc.take_replies():
            if reply.delivered:
                self._state.connections_seen += 1
                self._state.last_connection = reply.at
                await self._signal_wakeup(WakeupWorkflow.unit_connected)
                self._credit.connected(reply.offered_payment_commands, self._now())
            self._state.reload = True
        self._rtc.release_wakeups(self._state.wakeups)

    async def _push_to_rtc_unit(self) -> None:
        if not self._rtc.wants_push(pending_items(self._state)):
            return
        result = await self._rtc.publish(self._imei, self._now())
        if result is not None:
            self._apply(result.pending)
            self._rtc.pushed(pending_items(self._state))
        self._rtc.release_wakeups(self._state.wakeups)
