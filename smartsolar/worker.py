"""The Temporal worker: every workflow and activity on the `smartsolar` task queue. Scale it out freely."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import signal
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.worker import Worker

from activities.dcm import CreditActivities
from activities.device import DeviceActivities
from activities.maintenance import purge_expired_tokens
from activities.repair import RepairActivities
from activities.webhooks import webhook_activities
from core.settings import Settings, get_settings
from domain.sms_gateway import HttpSmsGateway, SmsGateway
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.temporal import connect
from smartsolar.webhook_dispatch import ensure_sweep_schedule, install_dispatcher
from workflows.device import DeviceWorkflow
from workflows.maintenance import PurgeExpiredTokensWorkflow
from workflows.repair import RepairWorkflow
from workflows.wakeup import WakeupWorkflow
from workflows.webhooks import WebhookDeliveryWorkflow, WebhookSweepWorkflow

log = logging.getLogger(__name__)

WORKFLOWS = [
    PurgeExpiredTokensWorkflow,
    DeviceWorkflow,
    WakeupWorkflow,
    WebhookDeliveryWorkflow,
    WebhookSweepWorkflow,
    RepairWorkflow,
]


def sms_gateway(settings: Settings) -> SmsGateway:
    settings.check_sms_receipt_key()
    if settings.sms_gateway_url:
        return HttpSmsGateway(settings.sms_gateway_url, settings.sms_gateway_key)
    log.warning(
        "NO SMS GATEWAY CONFIGURED: using the SIMULATED gateway, no real SMS will be sent "
        "(set SMARTSOLAR_SMS_GATEWAY_URL, SMARTSOLAR_SMS_GATEWAY_KEY and SMARTSOLAR_SMS_RECEIPT_KEY)"
    )
    return SimulatedSmsGateway(settings.sms_simulator_url)


def activities(settings: Settings, gateway: SmsGateway | None = None) -> list:
    gateway = gateway or sms_gateway(settings)
    device = DeviceActivities(gateway)
    return [
        purge_expired_tokens,
        device.load_pending_changes,
        device.record_delivery,
        device.cancel_pending_changes,
        device.send_wakeup_sms,
        device.settle_sms,
        CreditActivities(gateway).send_payment_sms,
        *webhook_activities(),
        *RepairActivities().all(),
    ]


def build_worker(
    client: Client,
    settings: Settings,
    executor: concurrent.futures.Executor,
    gateway: SmsGateway | None = None,
) -> Worker:
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=activities(settings, gateway),
        activity_executor=executor,
    )


async def ensure_schedules(client: Client, task_queue: str) -> None:
    """Create the housekeeping schedules once; every worker may try, the first one wins."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            PurgeExpiredTokensWorkflow.run, id="maintenance/purge-expired-tokens", task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(hours=1))]),
        state=ScheduleState(note="Deletes API tokens unused for 3 hours"),
    )
    try:
        await client.create_schedule("maintenance/purge-expired-tokens", schedule)
    except ScheduleAlreadyRunningError:
        pass
    await ensure_sweep_schedule(client, task_queue, get_settings().webhook_sweep_seconds)


async def run_worker(settings: Settings) -> None:
    client = await connect(settings)
    await ensure_schedules(client, settings.task_queue)
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as executor:
        worker = build_worker(client, settings, executor)
        loop = asyncio.get_running_loop()
        # Events published by activities here start their webhook deliveries at once.
        install_dispatcher(client, loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Finish in-flight tasks, then exit: nothing is lost, Temporal retries the rest.
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(worker.shutdown()))
        log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_target)
        await worker.run()


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("SMARTSOLAR_LOG_LEVEL", "INFO"),
        format="%(asctime)s worker %(levelname)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per webhook/SMS request is noise
    asyncio.run(run_worker(get_settings()))


if __name__ == "__main__":
    main()
