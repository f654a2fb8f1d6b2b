"""The Temporal worker: every workflow and activity on the `smartsolar` task queue. Scale it out freely."""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
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

from activities.maintenance import purge_expired_tokens
from smartsolar.settings import Settings, get_settings
from smartsolar.temporal import connect
from workflows.maintenance import PurgeExpiredTokensWorkflow

log = logging.getLogger(__name__)

WORKFLOWS = [PurgeExpiredTokensWorkflow]


def activities() -> list:
    return [purge_expired_tokens]


def build_worker(client: Client, task_queue: str, executor: concurrent.futures.Executor) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities(),
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


async def run_worker(settings: Settings) -> None:
    client = await connect(settings)
    await ensure_schedules(client, settings.task_queue)
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as executor:
        worker = build_worker(client, settings.task_queue, executor)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Finish in-flight tasks, then exit: nothing is lost, Temporal retries the rest.
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(worker.shutdown()))
        log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_target)
        await worker.run()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    asyncio.run(run_worker(get_settings()))


if __name__ == "__main__":
    main()
