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
import os
import sys
import time
import uuid

import aio_pika
import httpx
from sqlalchemy import func, select, update

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


def record(figure: str, value: float, baseline: float | None, goal: str, met: bool | None, unit: str) -> None:
    """The result record every bench writes for `make bench` (bench/harness.py)."""
    harness.record(BENCH, figure, value, baseline, goal, met, unit)


async def command_latency(
    http: httpx.AsyncClient, headers, links: list[SimulatedRtcUnit], concurrency: int, client
) -> tuple[list[float], list[float]]:
    """Per unit: enable sent -> the unit holds a STATE with `e` true. The latencies (s), and how long the
    API took to answer each enable (part of them)."""
    latencies: list[float] = []
    answered: list[float] = []
    queue = list(links)

    async def one(link: SimulatedRtcUnit) -> None:
        link.got_message.clear()
        start = time.perf_counter()
        r = await http.put(f"/v1/products/{link.imei}/enable", headers=headers)
        assert r.status_code == 200, r.text
        answered.append(time.perf_counter() - start)
        while not any(kind == MtType.STATE and body["e"] for kind, body, _ in link.received):
            try:
                await asyncio.wait_for(link.got_message.wait(), 30)
            except TimeoutError:
                status = await client.get_workflow_handle(f"device/{link.imei}").query(DeviceWorkflow.status)
                raise AssertionError(f"unit {link.imei} got no STATE in 30 s: {status!r}") from None
            link.got_message.clear()
        latencies.append(time.perf_counter() - start)

    async def worker() -> None:
        while queue:
            await one(queue.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, answered


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
    await asyncio.wait_for(done.wait(), 300)
    wall = time.perf_counter() - start
    await queue.delete(if_unused=False, if_empty=False)
    return len(messages) / wall


async def mo_throughput(connection, names: Names, messages) -> float:
    """Publish the bodies to RTC-MO; messages/s from the first publish until the consumer stored them all."""
    channel = await connection.channel(publisher_confirms=True)
    before = -1
    while before != (before := await asyncio.to_thread(mo_rows)):  # the enables' reports are all in
        await asyncio.sleep(1)
    start = time.perf_counter()
    await publish_all(channel, names.mo, messages)
    deadline = time.monotonic() + 600
    while await asyncio.to_thread(mo_rows) < before + len(messages):
        assert time.monotonic() < deadline, "the consumer did not process every message within 600 s"
        await asyncio.sleep(0.05)
    return len(messages) / (time.perf_counter() - start)


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
                await http.get("/v1/home")  # the API is up
                latencies, answered = await command_latency(http, headers, links, concurrency, env.client)
                deadline = time.monotonic() + 120
                while await asyncio.to_thread(settled_count, imeis) < units and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                settled = await asyncio.to_thread(settled_count, imeis)
            bodies = status_bodies(links, messages)
            raw = await raw_throughput(connection, names, bodies, settings.rtc_consumer_prefetch)
            mo = await mo_throughput(connection, names, status_bodies(links, messages))
    finally:
        await drop_topology(await connection.channel(), names, imeis)
        await connection.close()
        await env.shutdown()

    ms = [v * 1000 for v in latencies]
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"\nRTC bench: {units} units, enable concurrency {concurrency}, {messages} MO messages")
    print(f"{'enable -> unit has the command':<34} n={len(ms):>6}  p50={p50:7.1f} ms  p99={p99:7.1f} ms")
    put_ms = [v * 1000 for v in answered]
    print(
        f"{'  of which the API answering':<34} p50={percentile(put_ms, 50):7.1f} ms  p99={percentile(put_ms, 99):7.1f} ms"
    )
    print(f"{'enables settled by the reply':<34} {settled}/{units}")
    print(f"{'raw publish/consume':<34} {raw:8.1f}/s")
    print(f"{'MO processed by the consumer':<34} {mo:8.1f}/s")
    print(f"MO/raw = {mo / raw:.2f} (goal >= 0.3); command latency p99 goal < 1000 ms")
    record("command latency p50", p50, None, "", None, "ms")
    record("command latency p99", p99, None, "< 1000 ms", p99 < 1000, "ms")
    record("MO messages processed", mo, raw, ">= 0.3 x raw", mo >= 0.3 * raw, "/s")


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
