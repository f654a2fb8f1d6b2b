"""Device bench: N units (default 1,000) each with a pending enable, then each with a pending parameter.

Measures RC-GET throughput through the API (uvicorn subprocess, PostgreSQL, real dev server) and the lag until
enable_history shows `enabled`, against raw Temporal signal throughput to N workflows on the same server in the
same run. Goal: RC-GET throughput >= 0.6 x raw, lag p99 < 2 s. Then every unit gets a parameter
(`POST /v1/parameters`) and runs one connection cycle (the RC-GET offering it, the RC-POST reporting it
applied): the lag is RC-GET sent -> the parameter `active`.

    .venv/bin/python -m bench.device --units 1000 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC

import httpx
from temporalio import workflow
from temporalio.worker import Worker

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


@workflow.defn(sandboxed=False)
class SignalSinkWorkflow:
    """The raw baseline: a workflow that only waits for one signal."""

    def __init__(self) -> None:
        self._got = False

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: self._got)

    @workflow.signal
    def poke(self, _payload: dict) -> None:
        self._got = True


def phase(name: str) -> None:
    """When each phase starts (wall clock), to line up a profile or a CPU sample of the processes with it."""
    print(f"phase {name} at {time.time():.1f}", flush=True)


async def bounded(concurrency: int, jobs) -> tuple[list[float], float]:
    """Run the coroutine factories `jobs` `concurrency` at a time; per-job latency and the wall time."""
    latencies: list[float] = []
    queue = list(jobs)
    start = time.perf_counter()

    async def worker():
        while queue:
            job = queue.pop()
            t0 = time.perf_counter()
            await job()
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start


async def main(units: int, concurrency: int) -> None:
    env, api_env = await start_temporal_and_env()
    fleet, headers = provision_bench_units(units, prefix="55")
    with worker_process(api_env), api_process(free_port(), api_env) as url:
        async with httpx.AsyncClient(
            base_url=url, timeout=60, limits=httpx.Limits(max_connections=concurrency)
        ) as http:
            phase("enables")
            await bounded(
                concurrency,
                [lambda u=u: http.put(f"/v1/products/{u.imei}/enable", headers=headers) for u in fleet],
            )
            rc_get_done: dict[str, float] = {}

            async def rc_get(unit):
                response = await http.get("/v1/rc_data", auth=(unit.imei, unit.device_key))
                assert response.status_code == 200 and response.json()["enable_flag"] is True
                rc_get_done[unit.imei] = time.time()

            phase("RC-GETs")
            api_lat, api_wall = await bounded(concurrency, [lambda u=u: rc_get(u) for u in fleet])
            phase("waiting for enabled")
            lags = await wait_for_enabled(rc_get_done)
            phase("parameters")
            param_lat, param_wall, param_lags = await parameter_phase(http, fleet, headers, concurrency)

        sink_queue = f"sink-{uuid.uuid4()}"
        async with Worker(env.client, task_queue=sink_queue, workflows=[SignalSinkWorkflow]):
            handles = [
                await env.client.start_workflow(
                    SignalSinkWorkflow.run, id=f"sink/{uuid.uuid4()}", task_queue=sink_queue
                )
                for _ in range(units)
            ]
            phase("raw signals")
            raw_lat, raw_wall = await bounded(
                concurrency, [lambda h=h: h.signal(SignalSinkWorkflow.poke, {"x": 1}) for h in handles]
            )
            phase("done")
    await env.shutdown()

    api_tput, raw_tput = units / api_wall, units / raw_wall
    print(f"\ndevice bench: {units} units, concurrency {concurrency}")
    print(summary("RC-GET through the API", api_lat, api_wall))
    print(summary("raw Temporal signal", raw_lat, raw_wall))
    print(
        f"{'lag RC-GET -> enabled in history':<34} p50={percentile(lags, 50) * 1000:7.1f} ms  p99={percentile(lags, 99) * 1000:7.1f} ms"
    )
    print(f"throughput ratio API/raw = {api_tput / raw_tput:.2f} (goal >= 0.6); lag p99 goal < 2000 ms")
    ratio = api_tput / raw_tput
    record(
        "device",
        "RC-GET settling an enable, req/s (raw: signal)",
        api_tput,
        raw_tput,
        ">= 0.6 x",
        ratio >= 0.6,
        "/s",
    )
    lag99 = percentile(lags, 99)
    record(
        "device",
        "lag RC-GET -> enabled row, p99",
        lag99,
        None,
        "< 2 s",
        lag99 < 2 and len(lags) == units,
        "s",
    )
    print(summary("RC-GET + RC-POST (parameter)", param_lat, param_wall))
    print(
        f"{'lag RC-GET -> parameter active':<34} p50={percentile(param_lags, 50) * 1000:7.1f} ms  "
        f"p99={percentile(param_lags, 99) * 1000:7.1f} ms  ({len(param_lags)}/{units} active)"
    )
    p99 = percentile(param_lags, 99)
    record(
        "device",
        "lag RC-GET -> parameter active, p99",
        p99,
        None,
        "< 2 s",
        p99 < 2 and len(param_lags) == units,
        "s",
    )


async def parameter_phase(http: httpx.AsyncClient, fleet, headers, concurrency: int):
    """Each unit gets a pending parameter, then one connection cycle: the RC-GET offers it, the RC-POST says
    the unit runs it. Latency per cycle, wall time, and the lag RC-GET sent -> the row `active`."""
    kind = await http.post(
        "/v1/parameter_types",
        json={
            "name": f"bench_{uuid.uuid4().hex[:8]}",
            "data_type": "float",
            "repeatable": False,
            "setting": True,
        },
        headers=headers,
    )
    type_id = kind.json()["parameter_type_id"]
    await bounded(
        concurrency,
        [
            lambda u=u: http.post(
                "/v1/parameters",
                json={"parameter_type_id": type_id, "product_imei": u.imei, "value": "42"},
                headers=headers,
            )
            for u in fleet
        ],
    )
    sent: dict[str, float] = {}

    async def cycle(unit):
        sent[unit.imei] = time.time()
        answer = (await http.get("/v1/rc_data", auth=(unit.imei, unit.device_key))).json()
        assert answer["parameters"], answer
        report = {
            "enable_flag": answer["enable_flag"],
            "tamper_flag": answer["tamper_flag"],
            "software": "2.0",
        }
        posted = await http.post(
            "/v1/rc_data",
            json=report | {"parameters": answer["parameters"]},
            auth=(unit.imei, unit.device_key),
        )
        assert posted.status_code == 200, posted.text

    latencies, wall = await bounded(concurrency, [lambda u=u: cycle(u) for u in fleet])
    return latencies, wall, active_lags(type_id, sent)


def active_lags(type_id: int, sent: dict[str, float]) -> list[float]:
    from sqlalchemy import select

    from db.models.software import Parameter
    from db.session import session_scope

    with session_scope(actor="bench") as session:
        rows = session.execute(
            select(Parameter.product_imei, Parameter.date_added).where(
                Parameter.parameter_type_id == type_id, Parameter.status == "active"
            )
        ).all()
    return [
        max(added.replace(tzinfo=UTC).timestamp() - sent[imei], 0.0) for imei, added in rows if imei in sent
    ]


async def wait_for_enabled(rc_get_done: dict[str, float]) -> list[float]:
    from sqlalchemy import select

    from db.models.history import EnableHistory
    from db.session import session_scope

    seen: dict[str, float] = {}
    deadline = time.time() + 120
    while len(seen) < len(rc_get_done) and time.time() < deadline:
        with session_scope(actor="bench") as session:
            rows = session.execute(
                select(EnableHistory.product_imei, EnableHistory.created_at).where(
                    EnableHistory.current_enable_state == "enabled"
                )
            ).all()
        for imei, created_at in rows:
            seen.setdefault(imei, created_at.replace(tzinfo=__import__("datetime").timezone.utc).timestamp())
        await asyncio.sleep(0.2)
    return [max(seen[imei] - done, 0.0) for imei, done in rc_get_done.items() if imei in seen]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with bench_database("smartsolar_bench_device"):
        asyncio.run(main(args.units, args.concurrency))
