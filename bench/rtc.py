"""RTC bench: N RTC units (default 50) on the real broker, the API, worker and RTC consumer as their own
processes (PostgreSQL, the real dev server), the simulated units' links in this process.

1. Command latency: `PUT /v1/products/<imei>/enable` sent -> the unit has the STATE message carrying it (its
   DeviceWorkflow pushed it), p50/p99 over the N units; then every enable settled (the unit's reply).
   Goal: p99 < 1 s at 50 units.
2. MO throughput: M status reports (RC-POST bodies, `--messages`, default 2,000) published to `RTC-MO` and
   processed by the consumer (an `rtc_mo_message_history` row each), against raw publish/consume of the same
   bodies through a plain queue on the same broker in the same run (persistent, confirmed, acknowledged).
   Goal: MO processing >= 0.3 x raw.

    .venv/bin/python -m bench.rtc --units 50 --messages 2000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
import uuid

import aio_pika
import httpx
from sqlalchemy import func, select, update
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

from bench import harness
from bench.harness import (
    api_process,
    bench_database,
    child,
    free_port,
    percentile,
    provision_bench_units,
    start_temporal_and_env,
    worker_process,
)
from core.settings import get_settings
from db.models.product import Product
from db.models.rtc import RtcMoMessageHistory
from db.session import session_scope
from domain.rtc.broker import Names, declare_topology
from domain.rtc.encoding import MoType, MtType, frame
from simulator.rtc_unit import SimulatedRtcUnit
from tests.utils.broker import drop_topology
from workflows.device import DeviceWorkflow

BENCH = "rtc"
STATE_WAIT_SECONDS = 60  # per unit; a unit not reached by then is counted as missed
START_WAIT_SECONDS = 300  # the API, the worker and the consumer starting on a loaded machine


def record(figure: str, value: float, baseline: float | None, goal: str, met: bool | None, unit: str) -> None:
    """The result record every bench writes for `make bench` (bench/harness.py)."""
    harness.record(BENCH, figure, value, baseline, goal, met, unit)


async def command_latency(
    http: httpx.AsyncClient, headers, links: list[SimulatedRtcUnit], concurrency: int, client
) -> tuple[list[float], list[float], list[str]]:
    """Per unit: enable sent -> the unit holds a STATE with `e` true. The latencies (s), how long the API took
    to answer each enable (part of them), and what went wrong for units never reached (counted, not fatal:
    a saturated machine still gets its figures printed)."""
    latencies: list[float] = []
    answered: list[float] = []
    missed: list[str] = []
    queue = list(links)

    async def one(link: SimulatedRtcUnit) -> None:
        link.got_message.clear()
        start = time.perf_counter()
        for attempt in range(3):  # a 503 under load (Temporal slow to answer) is tried again
            try:
                r = await http.put(f"/v1/products/{link.imei}/enable", headers=headers)
            except httpx.HTTPError as err:
                r, error = None, f"{type(err).__name__}"
            else:
                error = f"{r.status_code} {r.text[:200]}"
            if r is not None and r.status_code == 200:
                break
            await asyncio.sleep(1 + attempt)
        else:
            missed.append(f"{link.imei}: enable answered {error}")
            return
        answered.append(time.perf_counter() - start)
        while not any(kind == MtType.STATE and body["e"] for kind, body, _ in link.received):
            try:
                await asyncio.wait_for(link.got_message.wait(), STATE_WAIT_SECONDS)
            except TimeoutError:
                try:
                    handle = client.get_workflow_handle(f"device/{link.imei}")
                    status = await asyncio.wait_for(handle.query(DeviceWorkflow.status), 30)
                except Exception as err:  # noqa: BLE001 - only for the message
                    status = f"(status query failed: {err})"
                missed.append(f"{link.imei}: no STATE in {STATE_WAIT_SECONDS} s: {status!r}"[:400])
                return
            link.got_message.clear()
        latencies.append(time.perf_counter() - start)

    async def worker() -> None:
        while queue:
            await one(queue.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, answered, missed


def settled_count(imeis: list[str]) -> int:
    with session_scope(actor="bench") as session:
        return session.scalar(
            select(func.count()).where(Product.product_imei.in_(imeis), Product.current_enable_flag.is_(True))
        )


def mo_rows() -> int:
    with session_scope(actor="bench") as session:
        return session.scalar(select(func.count()).select_from(RtcMoMessageHistory))


def status_bodies(links: list[SimulatedRtcUnit], count: int) -> list[tuple[str, bytes, str]]:
    out = []
    for n in range(count):
        link = links[n % len(links)]
        message = frame(MoType.STATUS, link.unit.report())
        out.append((link.imei, message.encode(), message.message_id))
    return out


async def publish_all(channel, queue: str, messages) -> None:
    for imei, body, message_id in messages:
        await channel.default_exchange.publish(
            aio_pika.Message(
                body,
                message_id=message_id,
                headers={"ident": imei, "ident_type": "IMEI"},
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=queue,
        )


async def raw_throughput(connection, names: Names, messages, prefetch: int) -> float:
    """Publish then consume the same bodies through a plain durable queue: messages/s, first publish to last ack."""
    channel = await connection.channel(publisher_confirms=True)
    await channel.set_qos(prefetch_count=prefetch)
    queue = await channel.declare_queue(names("bench.raw"), durable=True)
    done, seen = asyncio.Event(), [0]

    async def on_message(message) -> None:
        await message.ack()
        seen[0] += 1
        if seen[0] == len(messages):
            done.set()

    start = time.perf_counter()
    await queue.consume(on_message)
    await publish_all(channel, queue.name, messages)
    with contextlib.suppress(TimeoutError):  # a partial figure rather than none
        await asyncio.wait_for(done.wait(), 600)
    wall = time.perf_counter() - start
    await queue.delete(if_unused=False, if_empty=False)
    return seen[0] / wall


async def mo_throughput(connection, names: Names, messages) -> float:
    """Publish the bodies to RTC-MO; messages/s from the first publish until the consumer stored them all."""
    channel = await connection.channel(publisher_confirms=True)
    before = -1
    while before != (before := await asyncio.to_thread(mo_rows)):  # the enables' reports are all in
        await asyncio.sleep(1)
    start = time.perf_counter()
    await publish_all(channel, names.mo, messages)
    deadline = time.monotonic() + 900
    done = before
    while (done := await asyncio.to_thread(mo_rows)) < before + len(messages):
        if time.monotonic() > deadline:  # a partial figure rather than none
            print(f"the consumer processed {done - before}/{len(messages)} messages within 900 s")
            break
        await asyncio.sleep(0.05)
    return (done - before) / (time.perf_counter() - start)


async def wait_until_ready(http: httpx.AsyncClient, client, task_queue: str, units: int) -> None:
    """The API answers, the worker polls its task queue and the consumer reads RTC-MO: on a loaded machine
    starting them takes long, and it must not count in the latencies (nor time them out)."""
    deadline = time.monotonic() + START_WAIT_SECONDS

    async def api_up() -> bool:
        try:
            return (await http.get("/v1/home")).status_code < 500
        except httpx.HTTPError:
            return False

    async def worker_polls() -> bool:
        request = DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
        return bool((await client.workflow_service.describe_task_queue(request)).pollers)

    async def consumer_reads() -> bool:  # every link's `Connected` event is stored
        return await asyncio.to_thread(mo_rows) >= units

    for what, ready in (("the API", api_up), ("the worker", worker_polls), ("the consumer", consumer_reads)):
        while not await ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start within {START_WAIT_SECONDS} s")
            await asyncio.sleep(0.5)


async def main(units: int, messages: int, concurrency: int) -> None:
    settings = get_settings()
    names = Names(f"bench-{uuid.uuid4().hex[:8]}.")
    settings.amqp_prefix = names.prefix
    env, process_env = await start_temporal_and_env()
    process_env["SMARTSOLAR_AMQP_PREFIX"] = names.prefix
    fleet, headers = provision_bench_units(units, prefix="56")
    imeis = [unit.imei for unit in fleet]
    with session_scope(actor="bench") as session:
        session.execute(update(Product).where(Product.product_imei.in_(imeis)).values(rtc_enabled_flag=True))
    connection = await aio_pika.connect_robust(settings.amqp_url)
    channel = await connection.channel()
    await declare_topology(channel, names)
    links = [SimulatedRtcUnit(unit, names) for unit in fleet]
    for link in links:
        await link.attach(channel)
    consumer = [sys.executable, "-m", "smartsolar.rtc_consumer"]
    try:
        with (
            worker_process(process_env),
            child(consumer, process_env),
            api_process(free_port(), process_env) as url,
        ):
            async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                await wait_until_ready(http, env.client, settings.task_queue, units)
                latencies, answered, missed = await command_latency(
                    http, headers, links, concurrency, env.client
                )
                deadline = time.monotonic() + 120
                while await asyncio.to_thread(settled_count, imeis) < units and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                settled = await asyncio.to_thread(settled_count, imeis)
            bodies = status_bodies(links, messages)
            raw = await raw_throughput(connection, names, bodies, settings.rtc_consumer_prefetch)
            mo = await mo_throughput(connection, names, status_bodies(links, messages))
    finally:
        # Cleaning up must not cost the figures: a slow broker or dev server is logged, not fatal.
        for step in (lambda: _drop(connection, names, imeis), connection.close, env.shutdown):
            try:
                await asyncio.wait_for(step(), 60)
            except Exception as err:  # noqa: BLE001
                print(f"cleanup: {type(err).__name__}: {err}")

    ms = [v * 1000 for v in latencies] or [float("nan")]
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"\nRTC bench: {units} units, enable concurrency {concurrency}, {messages} MO messages")
    print(f"{'enable -> unit has the command':<34} n={len(ms):>6}  p50={p50:7.1f} ms  p99={p99:7.1f} ms")
    put_ms = [v * 1000 for v in answered] or [float("nan")]
    print(
        f"{'  of which the API answering':<34} p50={percentile(put_ms, 50):7.1f} ms  p99={percentile(put_ms, 99):7.1f} ms"
    )
    print(f"{'enables settled by the reply':<34} {settled}/{units}")
    if missed:
        print(f"{'units never reached':<34} {len(missed)}/{units}, e.g. {missed[0]}")
    print(f"{'raw publish/consume':<34} {raw:8.1f}/s")
    print(f"{'MO processed by the consumer':<34} {mo:8.1f}/s")
    print(
        f"MO/raw = {mo / raw if raw else float('nan'):.2f} (goal >= 0.3); command latency p99 goal < 1000 ms"
    )
    record("command latency p50", p50, None, "", None, "ms")
    record("command latency p99", p99, None, "< 1000 ms", p99 < 1000 and not missed, "ms")
    record("units the enable never reached", len(missed), None, "0", not missed, "")
    record("MO messages processed", mo, raw, ">= 0.3 x raw", mo >= 0.3 * raw, "/s")


async def _drop(connection, names: Names, imeis: list[str]) -> None:
    await drop_topology(await connection.channel(), names, imeis)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4, help="enables in flight at once")
    args = parser.parse_args()
    os.environ.setdefault("SMARTSOLAR_LOG_LEVEL", "WARNING")
    with bench_database("smartsolar_bench_rtc"):
        asyncio.run(main(args.units, args.messages, args.concurrency))
