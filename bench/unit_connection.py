"""RC-GET and RC-POST with nothing pending (nearly every connection a unit makes) against a bare endpoint
that returns a constant, in the same app (the API's, with one route added) under the same uvicorn.

    .venv/bin/python -m bench.unit_connection [--units 200] [--requests 3000] [--concurrency 16]

Goal: RC-GET with nothing pending >= 0.5 x the constant endpoint's throughput. No Temporal runs: with
nothing pending neither route calls it (the API is pointed at a closed port, so a call would show as a
2 s stall per request).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import httpx

from bench.harness import bench_database, child, free_port, percentile, provision_bench_units, record, summary

CONSTANT = "/bench/constant"


def create_app():
    """The API's app plus the constant route (uvicorn's factory for this bench)."""
    from api.app import create_app as api_app

    app = api_app()

    @app.get(CONSTANT, include_in_schema=False)
    async def constant() -> dict:
        return {"status": "success"}

    return app


async def hammer(requests: int, concurrency: int, call) -> tuple[list[float], float]:
    latencies: list[float] = []
    left = iter(range(requests))

    async def worker():
        for n in left:
            t0 = time.perf_counter()
            response = await call(n)
            assert response.status_code == 200, response.text
            latencies.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start


async def main(units: int, requests: int, concurrency: int) -> None:
    fleet, _ = provision_bench_units(units, prefix="66")
    port = free_port()
    env = {"SMARTSOLAR_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}"}  # nothing listens: it must not be used
    command = ["-m", "uvicorn", "bench.unit_connection:create_app", "--factory", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    with child([sys.executable, *command], env):
        url = f"http://127.0.0.1:{port}"
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
            await wait_until_up(http)
            report = {"enable_flag": False, "tamper_flag": False, "software": "2.0"}

            def rc_get(n):
                unit = fleet[n % units]
                return http.get("/v1/rc_data", auth=(unit.imei, unit.device_key))

            def rc_post(n):
                unit = fleet[n % units]
                return http.post("/v1/rc_data", json=report, auth=(unit.imei, unit.device_key))

            await hammer(200, concurrency, rc_get)  # warm pools and caches
            await hammer(200, concurrency, lambda n: http.get(CONSTANT))
            figures = {}
            for name, call in (
                ("constant", lambda n: http.get(CONSTANT)),
                ("RC-GET", rc_get),
                ("RC-POST", rc_post),
            ):
                figures[name] = await hammer(requests, concurrency, call)
    print(f"\nunit connection bench: {units} units, {requests} requests each, concurrency {concurrency}")
    for name, (latencies, wall) in figures.items():
        print(
            summary(
                f"{name} (nothing pending)" if name != "constant" else "constant endpoint", latencies, wall
            )
        )
    constant = requests / figures["constant"][1]
    for name in ("RC-GET", "RC-POST"):
        latencies, wall = figures[name]
        goal = 0.5 if name == "RC-GET" else None
        throughput = requests / wall
        figure = f"{name} nothing pending, req/s (baseline: constant endpoint)"
        met = throughput >= goal * constant if goal else None
        record("unit_connection", figure, throughput, constant, ">= 0.5 x" if goal else "-", met, "/s")
        p99 = percentile(latencies, 99) * 1000
        record("unit_connection", f"{name} nothing pending, p99", p99, None, "< 500 ms", p99 < 500, "ms")


async def wait_until_up(http: httpx.AsyncClient) -> None:
    for _ in range(600):
        try:
            await http.get(CONSTANT)
            return
        except httpx.TransportError:
            await asyncio.sleep(0.1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with bench_database("smartsolar_bench_unit_connection"):
        asyncio.run(main(args.units, args.requests, args.concurrency))
