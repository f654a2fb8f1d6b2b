"""DeviceWorkflow with mocked activities (registered under the contract's names) on the time-skipping
server: its state survives continue-as-new, and connections heard during a worker outage settle their
changes before any wake-up is sent for them."""

from __future__ import annotations

import concurrent.futures
import uuid
from datetime import datetime, timedelta

from temporalio import activity
from temporalio.worker import Worker

from contracts.device import (
    CancelInput,
    ChangeRequest,
    CreditPolicy,
    DeviceActivity,
    DeviceInput,
    PaymentSmsInput,
    PaymentSmsResult,
    PendingChanges,
    PendingCommand,
    RecordDeliveryInput,
    SendSmsInput,
    SettleSmsInput,
    SmsRecord,
    SwitchKind,
    UnitConnection,
    WakeupPolicy,
)
from workflows.device import DeviceWorkflow
from workflows.wakeup import WakeupWorkflow

IMEI = "860000000000001"


class FakeUnitDatabase:
    """What the device activities would read and write, in memory; records every call."""

    def __init__(self, switches=None, commands=None) -> None:
        self.switches: dict[SwitchKind, bool] = dict(switches or {})
        self.commands: list[PendingCommand] = list(commands or [])
        self.calls: list[str] = []
        self.payment_sms_at: list[datetime] = []

    def pending(self) -> PendingChanges:
        return PendingChanges(switches=dict(self.switches), payment_commands=list(self.commands))

    def _sms(self, sent_at: datetime, timeout: float) -> SmsRecord:
        return SmsRecord(
            sms_history_id=len(self.calls),
            product_imei=IMEI,
            message_reference=f"ref-{uuid.uuid4()}",
            attempted_retries=0,
            sent_time=sent_at,
            sms_timeout=sent_at + timedelta(seconds=timeout),
        )

    def activities(self) -> list:
        @activity.defn(name=DeviceActivity.LOAD_PENDING)
        def load(imei: str) -> PendingChanges:
            self.calls.append("load")
            return self.pending()

        @activity.defn(name=DeviceActivity.RECORD_DELIVERY)
        def record(input: RecordDeliveryInput) -> PendingChanges:
            self.calls.append("record_delivery")
            for kind, flag in input.delivered.items():
                if self.switches.get(kind) == flag:
                    del self.switches[kind]
            return self.pending()

        @activity.defn(name=DeviceActivity.CANCEL_PENDING)
        def cancel(input: CancelInput) -> PendingChanges:
            self.calls.append("cancel")
            self.switches.clear()
            return self.pending()

        @activity.defn(name=DeviceActivity.SEND_WAKEUP_SMS)
        def wakeup(input: SendSmsInput) -> SmsRecord:
            self.calls.append("wakeup_sms")
            return self._sms(input.sent_at, input.timeout_seconds)

        @activity.defn(name=DeviceActivity.SETTLE_SMS)
        def settle(input: SettleSmsInput) -> bool:
            self.calls.append("settle_sms")
            return True

        @activity.defn(name=DeviceActivity.SEND_PAYMENT_SMS)
        def payment_sms(input: PaymentSmsInput) -> PaymentSmsResult:
            self.calls.append("payment_sms")
            self.payment_sms_at.append(input.sent_at)
            ids = [c.transaction_id for c in self.commands if c.transaction_id in input.transaction_ids]
            return PaymentSmsResult(
                sms=[self._sms(input.sent_at, input.timeout_seconds) for _ in ids], transaction_ids=ids
            )

        return [load, record, cancel, wakeup, settle, payment_sms]


def worker(env, fake: FakeUnitDatabase, task_queue: str, executor) -> Worker:
    return Worker(
        env.client,
        task_queue=task_queue,
        workflows=[DeviceWorkflow, WakeupWorkflow],
        activities=fake.activities(),
        activity_executor=executor,
    )


async def test_the_sms_fallback_cap_and_clock_survive_continue_as_new(skipping_env):
    command = PendingCommand(
        payment_command_id=1, transaction_id="p1", category="payment", value=10, status=None
    )
    fake = FakeUnitDatabase(commands=[command])
    task_queue = f"device-{uuid.uuid4()}"
    hour = 3600
    device_input = DeviceInput(
        imei=IMEI,
        credit=CreditPolicy(sms_after_seconds=6 * hour, sms_max_rounds=3, sms_timeout_seconds=60),
        max_history_events=12,  # continue as new after nearly every step
    )
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
        async with worker(skipping_env, fake, task_queue, executor):
            handle = await skipping_env.client.start_workflow(
                DeviceWorkflow.run, device_input, id=f"device/{IMEI}-{uuid.uuid4()}", task_queue=task_queue
            )
            first_run = handle.result_run_id
            await skipping_env.sleep(5 * 24 * hour)  # five silent days
            status = await handle.query(DeviceWorkflow.status)
            latest = (await handle.describe()).run_id

    assert latest != first_run  # it did continue as new, more than once along the way
    # Three rounds per silence, not three per run: the counter came through every continue-as-new...
    assert len(fake.payment_sms_at) == 3
    # ...and so did the clock: each round six hours after the one before, not six hours after a new run.
    gaps = [b - a for a, b in zip(fake.payment_sms_at, fake.payment_sms_at[1:])]
    assert all(timedelta(hours=6) <= gap < timedelta(hours=6, minutes=5) for gap in gaps), gaps
    assert status.sms_rounds == 3 and status.next_sms_at is None
    assert [(c.transaction_id, c.sms_sent) for c in status.payment_commands] == [("p1", 3)]


async def test_connections_heard_during_a_worker_outage_come_before_wake_ups(skipping_env):
    """The enable and the unit's RC-GET both arrived while no worker ran: no WAKEUP for a delivered change."""
    fake = FakeUnitDatabase(switches={SwitchKind.ENABLE: True})
    task_queue = f"device-{uuid.uuid4()}"
    client = skipping_env.client
    change = ChangeRequest(
        imei=IMEI, kind=SwitchKind.ENABLE, target=True, history_id=7, user="tech", wakeup=True
    )
    handle = await client.start_workflow(
        DeviceWorkflow.run,
        DeviceInput(imei=IMEI, policy=WakeupPolicy(max_retries=0)),
        id=f"device/{IMEI}-{uuid.uuid4()}",
        task_queue=task_queue,
        start_signal="change_requested",
        start_signal_args=[change],
    )
    connection = UnitConnection(enable_flag=True, tamper_flag=False, at=datetime(2026, 1, 1))
    await handle.signal(DeviceWorkflow.unit_connected, connection)
    await handle.signal(DeviceWorkflow.change_requested, change)  # a retried request: asks for nothing new
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
        async with worker(skipping_env, fake, task_queue, executor):
            await handle.result()
    assert "wakeup_sms" not in fake.calls
    assert fake.calls == ["load", "record_delivery"]
    assert fake.switches == {}
