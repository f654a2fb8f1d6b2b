"""DCM bench: N DCM units (default 1,000) each receive one payment command, delivered in an RC-GET and
acknowledged in an RC-POST by simulated units.

Through the API (uvicorn subprocess, worker subprocess, PostgreSQL, real dev server) it measures the
add_payment_command, RC-GET (delivery) and RC-POST (acknowledgement) throughput, and the ack lag: from the
RC-POST's answer to the unit's DeviceWorkflow closing (it heard the ack, reloaded, found nothing pending).
Against it, in the same run: raw Temporal signals to N waiting workflows on the same server.

    .venv/bin/python -m bench.dcm --units 1000 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import httpx
from temporalio.service import RPCError
from temporalio.worker import Worker

from bench.device import SignalSinkWorkflow, bounded
from bench.harness import (
    api_process,
    bench_database,
    free_port,
    percentile,
    provision_bench_units,
    record,
    start_temporal_and_env,
    summary,
    worker_process,
)


async def main(units: int, concurrency: int) -> None:
    from sqlalchemy import update

    from db.models.product import Product
    from db.session import session_scope

    env, api_env = await start_temporal_and_env()
    fleet, headers = provision_bench_units(units, prefix="66")
    with session_scope(actor="bench") as session:
        session.execute(update(Product).where(Product.product_imei.like("66%")).values(dcm_enabled_flag=True))
    acked_at: dict[str, float] = {}
    with worker_process(api_env), api_process(free_port(), api_env) as url:
        limits = httpx.Limits(max_connections=concurrency)

        def client() -> httpx.AsyncClient:
            # One per phase: uvicorn closes keep-alive connections idle for 5 s, as they are between phases.
            return httpx.AsyncClient(base_url=url, timeout=60, limits=limits)

        retries = 0

        async def send(http, method: str, path: str, **kwargs) -> httpx.Response:
            # Under this load uvicorn now and then drops a connection mid-request (bench/device.py sees it too);
            # every call here is idempotent, so one retry on a fresh connection is safe. Counted and printed.
            nonlocal retries
            try:
                return await http.request(method, path, **kwargs)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                retries += 1
                return await http.request(method, path, **kwargs)

        async def add(http, unit):
            body = {"value": 3600, "category": "payment", "transaction_id": f"bench-{unit.imei}"}
            r = await send(
                http, "POST", f"/v1/products/{unit.imei}/add_payment_command", json=body, headers=headers
            )
            assert r.status_code == 201, r.text

        async def deliver(http, unit):
            r = await send(http, "GET", "/v1/rc_data", auth=(unit.imei, unit.device_key))
            assert r.status_code == 200 and len(r.json()["payment_commands"]) == 1, r.text
            unit.take_commands(r.json()["payment_commands"])

        async def acknowledge(http, unit):
            r = await send(http, "POST", "/v1/rc_data", json=unit.report(), auth=(unit.imei, unit.device_key))
            assert r.status_code == 200, r.text
            acked_at[unit.imei] = time.time()

        # Each phase starts once the workflows have taken in the previous one, as in the field, where hours
        # pass between a payment, the unit's next RC-GET and the RC-POST after it.
        async with client() as http:
            add_lat, add_wall = await bounded(concurrency, [lambda u=u: add(http, u) for u in fleet])
        await workflows_show(env.client, fleet, concurrency, lambda c: c.offered == 0)
        async with client() as http:
            get_lat, get_wall = await bounded(concurrency, [lambda u=u: deliver(http, u) for u in fleet])
        await workflows_show(env.client, fleet, concurrency, lambda c: c.offered == 1)
        async with client() as http:
            ack_lat, ack_wall = await bounded(concurrency, [lambda u=u: acknowledge(http, u) for u in fleet])
        lags = await ack_lags(env.client, acked_at, concurrency)

        sink_queue = f"sink-{uuid.uuid4()}"
        async with Worker(env.client, task_queue=sink_queue, workflows=[SignalSinkWorkflow]):
            handles = [
                await env.client.start_workflow(
                    SignalSinkWorkflow.run, id=f"sink/{uuid.uuid4()}", task_queue=sink_queue
                )
                for _ in range(units)
            ]
            pokes = [lambda h=h: h.signal(SignalSinkWorkflow.poke, {"x": 1}) for h in handles]
            raw_lat, raw_wall = await bounded(concurrency, pokes)
    await env.shutdown()

    raw_tput = units / raw_wall
    print(
        f"\ndcm bench: {units} units, concurrency {concurrency}; "
        f"{retries} request(s) retried after a dropped connection"
    )
    print(summary("add_payment_command", add_lat, add_wall))
    print(summary("RC-GET delivering the command", get_lat, get_wall))
    print(summary("RC-POST acknowledging it", ack_lat, ack_wall))
    print(summary("raw Temporal signal", raw_lat, raw_wall))
    print(
        f"{'ack lag RC-POST -> workflow closed':<34} n={len(lags):>6}  p50={percentile(lags, 50) * 1000:7.1f} ms  "
        f"p99={percentile(lags, 99) * 1000:7.1f} ms"
    )
    for label, wall in (("add", add_wall), ("RC-GET", get_wall), ("RC-POST ack", ack_wall)):
        print(f"throughput ratio {label}/raw signal = {(units / wall) / raw_tput:.2f}")
        figure = f"{label} (payment command), req/s (raw: signal)"
        record("dcm", figure, units / wall, raw_tput, ">= 0.6 x", (units / wall) / raw_tput >= 0.6, "/s")
    lag99 = percentile(lags, 99)
    record("dcm", "ack lag RC-POST -> workflow closed, p99", lag99, None, "< 2 s", lag99 < 2, "s")


async def workflows_show(client, fleet, concurrency: int, wanted) -> None:
    """Poll each unit's DeviceWorkflow until its one payment command satisfies `wanted` (not timed)."""
    from workflows.device import DeviceWorkflow

    async def one(unit) -> None:
        handle = client.get_workflow_handle(f"device/{unit.imei}")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status = await handle.query(DeviceWorkflow.status)
                if len(status.payment_commands) == 1 and wanted(status.payment_commands[0]):
                    return
            except RPCError:  # a workflow task being retried (the worker is saturated): ask again
                pass
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{unit.imei}: workflow never showed the expected state")

    await bounded(concurrency, [lambda u=u: one(u) for u in fleet])


async def ack_lags(client, acked_at: dict[str, float], concurrency: int) -> list[float]:
    """Seconds from each acknowledging RC-POST's answer to its workflow's close time (waits for them all)."""
    lags: list[float] = []

    async def one(imei: str) -> None:
        handle = client.get_workflow_handle(f"device/{imei}")
        await asyncio.wait_for(handle.result(), timeout=120)
        closed = (await handle.describe()).close_time
        lags.append(max(closed.timestamp() - acked_at[imei], 0.0))

    await bounded(concurrency, [lambda i=i: one(i) for i in acked_at])
    return lags


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with bench_database("smartsolar_bench_dcm"):
        asyncio.run(main(args.units, args.concurrency))
