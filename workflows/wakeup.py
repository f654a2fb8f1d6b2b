"""WakeupWorkflow: make a sleeping unit connect now rather than in ~4 hours.

Each SMS ends `Delivered` (receipt) or `Expired` (no receipt within its `sms_timeout`). While the unit has
not connected, another SMS goes out after a growing backoff, up to `max_retries` retries. It stops
retrying as soon as the unit connects, and ends once every SMS it sent has its outcome.

Since `ENDS_ON_CONNECTION`: it ends as soon as the unit has connected (told by its parent, or read from
the database before a retry, since an RC-GET with nothing pending no longer reaches Temporal); the SMS still
out are the database's from then on (the receipt endpoint settles them, the SMS expiry sweep expires them),
so neither this child nor its parent stays open for the hour an SMS may still be receipted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import (
        ConnectedSinceInput,
        DeviceActivity,
        SendSmsInput,
        SettleSmsInput,
        SmsReceipt,
        SmsRecord,
        WakeupInput,
        WakeupStatus,
    )

ACTIVITY_TIMEOUT = timedelta(seconds=30)
ENDS_ON_CONNECTION = "wakeup-ends-when-the-unit-connects"


# Unsandboxed, as DeviceWorkflow (workflows/device.py says why); its replay tests run it in the sandbox.
@workflow.defn(sandboxed=False)
class WakeupWorkflow:
    def __init__(self) -> None:
        self._outstanding: dict[str, SmsRecord] = {}
        self._receipts: list[SmsReceipt] = []
        self._sent: list[SmsRecord] = []
        self._connected = False
        self._next_retry_at: datetime | None = None
        self._ends_on_connection = False

    @workflow.run
    async def run(self, input: WakeupInput) -> int:
        """Returns how many SMS it sent."""
        self._ends_on_connection = workflow.patched(ENDS_ON_CONNECTION)
        policy = input.policy
        if input.first_sms is not None:
            self._track(input.first_sms)
        else:
            await self._send(input, retries=0)
        next_retry_at: datetime | None = None
        while True:
            if self._ends_on_connection and self._connected:
                break  # what is still out is settled in the database
            await self._settle_receipts()
            await self._expire_overdue()
            retries_left = policy.max_retries - (len(self._sent) - 1)
            # While an SMS is out, or trying is over, there is no retry to schedule.
            if self._connected or retries_left <= 0 or self._outstanding:
                if not self._outstanding:
                    break  # done trying, and every SMS has its outcome
                next_retry_at = None
            elif next_retry_at is None:
                retries = len(self._sent) - 1
                backoff = policy.retry_backoff_seconds * policy.backoff_coefficient**retries
                next_retry_at = self._now() + timedelta(seconds=backoff)
            elif self._now() >= next_retry_at:
                next_retry_at = None
                if self._ends_on_connection and await self._connected_since_first_sms(input):
                    break
                await self._send(input, retries=len(self._sent))
                continue
            self._next_retry_at = next_retry_at
            self._describe(next_retry_at)
            await self._wait_until(next_retry_at)
        return len(self._sent)

    async def _wait_until(self, next_retry_at: datetime | None) -> None:
        """Sleep until a receipt, the connection, an SMS's timeout or the next retry, whichever is first."""
        deadlines = [sms.sms_timeout for sms in self._outstanding.values()]
        if next_retry_at is not None:
            deadlines.append(next_retry_at)
        seen = (len(self._receipts), self._connected)
        try:
            await workflow.wait_condition(
                lambda: (len(self._receipts), self._connected) != seen,
                timeout=max(min(deadlines) - self._now(), timedelta(milliseconds=1)),
            )
        except TimeoutError:
            pass

    @staticmethod
    def _now() -> datetime:
        return workflow.now().replace(tzinfo=None)  # the database's timestamps are naive UTC

    @workflow.query
    def status(self) -> WakeupStatus:
        return WakeupStatus(
            sent=len(self._sent),
            outstanding=list(self._outstanding),
            next_retry_at=self._next_retry_at,
            connected=self._connected,
        )

    @workflow.signal
    def unit_connected(self) -> None:
        self._connected = True

    @workflow.signal
    def sms_receipt(self, receipt: SmsReceipt) -> None:
        self._receipts.append(receipt)

    @workflow.signal
    def track_sms(self, sms: SmsRecord) -> None:
        """The parent sent another SMS on demand: watch it for its receipt too."""
        self._track(sms)

    def _track(self, sms: SmsRecord) -> None:
        self._sent.append(sms)
        self._outstanding[sms.message_reference] = sms

    async def _send(self, input: WakeupInput, retries: int) -> None:
        sms = await workflow.execute_activity(
            DeviceActivity.SEND_WAKEUP_SMS,
            SendSmsInput(
                imei=input.imei,
                sent_at=self._now(),
                enable_history_id=input.enable_history_id,
                attempted_retries=retries,
                timeout_seconds=input.policy.sms_timeout_seconds,
                user=input.user,
            ),
            result_type=SmsRecord,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )
        self._track(sms)

    async def _connected_since_first_sms(self, input: WakeupInput) -> bool:
        return await workflow.execute_local_activity(
            DeviceActivity.UNIT_CONNECTED_SINCE,
            ConnectedSinceInput(imei=input.imei, since=self._sent[0].sent_time),
            result_type=bool,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )

    async def _settle_receipts(self) -> None:
        while self._receipts:
            receipt = self._receipts.pop(0)
            sms = self._outstanding.pop(receipt.message_reference, None)
            if sms is not None:  # a repeated or late receipt changes nothing
                await self._settle(sms, "Delivered", receipt.delivered_at)

    async def _expire_overdue(self) -> None:
        now = self._now()
        for reference, sms in list(self._outstanding.items()):
            if now >= sms.sms_timeout:
                del self._outstanding[reference]
                await self._settle(sms, "Expired", now)

    async def _settle(self, sms: SmsRecord, status: str, at: datetime) -> None:
        await workflow.execute_local_activity(
            DeviceActivity.SETTLE_SMS,
            SettleSmsInput(sms_history_id=sms.sms_history_id, status=status, at=at),
            result_type=bool,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )

    def _describe(self, next_retry_at: datetime | None) -> None:
        waiting = ", ".join(
            f"SMS {s.message_reference} (expires {s.sms_timeout:%H:%M:%S})"
            for s in self._outstanding.values()
        )
        retry = f"; next retry at {next_retry_at:%H:%M:%S}" if next_retry_at else ""
        state = "unit connected" if self._connected else "unit not connected yet"
        workflow.set_current_details(
            f"{state}; {len(self._sent)} SMS sent; waiting for: {waiting or 'nothing'}{retry}"
        )
