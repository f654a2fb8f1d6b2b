"""The Temporal worker: every workflow and activity on the `smartsolar` task queue. Scale it out freely."""

from __future__ import annotations

import asyncio
import compileall
import concurrent.futures
import logging
import os
import signal
from datetime import timedelta

import httpx
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.worker import Worker

import workflows
from activities.dcm import CreditActivities
from activities.device import DeviceActivities
from activities.device_rtc import RtcPushActivities
from activities.maintenance import MaintenanceActivities
from activities.repair import RepairActivities
from activities.webhooks import OutboxSweepActivities, WebhookActivities
from clients.temporal import connect
from clients.webhooks import dispatch_undispatched, ensure_sweeper, install_dispatcher
from contracts.maintenance import PURGE_TOKENS_SCHEDULE_ID, SMS_EXPIRY_SWEEPER_ID, SmsExpiryInput
from core.settings import Settings, get_settings
from domain.rtc.publisher import Publisher
from domain.sms_gateway import HttpSmsGateway, SmsGateway
from domain.webhooks.hooks import install_session_hooks
from simulator.sms_gateway import SimulatedSmsGateway
from workflows.device import DeviceWorkflow
from workflows.maintenance import PurgeExpiredTokensWorkflow, SmsExpirySweeper
from workflows.repair import RepairWorkflow
from workflows.wakeup import WakeupWorkflow
from workflows.webhooks import WebhookDeliveryWorkflow, WebhookOutboxSweeper

log = logging.getLogger(__name__)

WORKFLOWS = [
    PurgeExpiredTokensWorkflow,
    SmsExpirySweeper,
    DeviceWorkflow,
    WakeupWorkflow,
    WebhookDeliveryWorkflow,
    WebhookOutboxSweeper,
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


def activities(
    client: Client, settings: Settings, gateway: SmsGateway | None = None, publisher: Publisher | None = None
) -> list:
    """Every activity, one way: each class is built with its dependencies and lists its own (`all()`),
    under the names its workflow's contract gives. The broker publisher connects on its first RTC push."""
    gateway = gateway or sms_gateway(settings)

    async def start_undispatched(batch: int) -> int:
        return await dispatch_undispatched(client, batch=batch)

    built = [
        MaintenanceActivities(),
        DeviceActivities(gateway),
        RtcPushActivities(publisher or Publisher(settings)),
        CreditActivities(gateway),
        # One HTTP client for every attempt; no redirects: the exact url is signed.
        # No proxies from the environment either: the connection must go to the address that was checked.
        WebhookActivities(httpx.Client(follow_redirects=False, trust_env=False)),
        OutboxSweepActivities(start_undispatched),
        RepairActivities(),
    ]
    return [fn for group in built for fn in group.all()]


def build_worker(
    client: Client,
    settings: Settings,
    executor: concurrent.futures.Executor,
    gateway: SmsGateway | None = None,
    publisher: Publisher | None = None,
) -> Worker:
    install_session_hooks()
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=activities(client, settings, gateway, publisher),
        activity_executor=executor,
        graceful_shutdown_timeout=timedelta(seconds=settings.worker_shutdown_grace_seconds),
        max_concurrent_workflow_tasks=settings.worker_workflow_tasks,
    )


def compile_workflow_sources() -> None:
    """Bytecode for the workflow modules, which the sandbox executes afresh for every new run: without it
    on disk (PYTHONDONTWRITEBYTECODE, a read-only checkout) each new run compiled them from source, a third
    of the worker's time under the device bench. Files already compiled and unchanged are skipped."""
    compileall.compile_dir(os.path.dirname(workflows.__file__), quiet=2)


async def ensure_schedules(client: Client, task_queue: str) -> None:
    """Create the housekeeping schedules once; every worker may try, the first one wins."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            PurgeExpiredTokensWorkflow.run, id=PURGE_TOKENS_SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(hours=1))]),
        state=ScheduleState(note="Deletes API tokens unused for 3 hours"),
    )
    try:
        await client.create_schedule(PURGE_TOKENS_SCHEDULE_ID, schedule)
    except ScheduleAlreadyRunningError:
        pass
    await ensure_sweeper(client, task_queue, get_settings().webhook_sweep_seconds)
    await client.start_workflow(
        SmsExpirySweeper.run,
        SmsExpiryInput(),
        id=SMS_EXPIRY_SWEEPER_ID,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        static_summary="Expires wake-up and payment SMS past their timeout without a receipt",
    )


async def run_worker(settings: Settings) -> None:
    compile_workflow_sources()
    client = await connect(settings)
    await ensure_schedules(client, settings.task_queue)
    publisher = Publisher(settings)
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as executor:
        worker = build_worker(client, settings, executor, publisher=publisher)
        loop = asyncio.get_running_loop()
        # Events published by activities here start their webhook deliveries at once.
        install_dispatcher(client, loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Finish in-flight tasks, then exit: nothing is lost, Temporal retries the rest.
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(worker.shutdown()))
        log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_target)
        try:
            await worker.run()
        finally:
            await publisher.close()


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("SMARTSOLAR_LOG_LEVEL", "INFO"),
        format="%(asctime)s worker %(levelname)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per webhook/SMS request is noise
    # The repair engine's state machine logs every transition at INFO: most of a run's log, no news.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    asyncio.run(run_worker(get_settings()))


if __name__ == "__main__":
    main()
