"""Fleet soak: simulated units (simulator/) connect at a steady rate for a set time, with the field's mix.

    .venv/bin/python -m bench.fleet_soak [--rate 70] [--minutes 10] [--units 3000]   (make soak)

Each connection is the simulator's cycle (RC-POST, RC-GET, RM-POST). About 95% find nothing pending; before
the other 5% the bench writes a change through the API: an enable or disable (most; a tenth of the units
run wake-up software, so theirs send a WAKEUP SMS through the simulated network, which posts the receipt
back), a parameter, or a payment command (DCM units). Arrivals are open-loop (a connection starts on
schedule whether or not earlier ones are done, up to a cap in flight). Reports the achieved rate, RC-POST /
RC-GET p50/p99, the settle lag (RC-GET answered -> `enabled`/`disabled` row) p99, errors, and the CPU the
worker, the API and the Temporal server used. Goals: 70 connections/s, RC p99 < 500 ms, settle lag p99 < 2 s,
no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import time
import uuid
from datetime import UTC

import httpx

from bench.harness import (
    api_process,
    bench_database,
    free_port,
    percentile,
    record,
    start_temporal_and_env,
    worker_process,
)

MAX_IN_FLIGHT = 400


class Timings:
    """Latency per route, from httpx's event hooks."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    async def on_request(self, request: httpx.Request) -> None:
        request.extensions["started"] = time.perf_counter()

    async def on_response(self, response: httpx.Response) -> None:
        request = response.request
        key = f"{request.method} {re.sub(r'/[0-9]{15}', '/<imei>', request.url.path)}"
        self.latency.setdefault(key, []).append(time.perf_counter() - request.extensions["started"])
        if response.status_code >= 400:
            self.errors[f"{key} {response.status_code}"] = (
                self.errors.get(f"{key} {response.status_code}", 0) + 1
            )


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children that were waited for (Linux /proc)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def provision(units: int):
    from sqlalchemy import update

    from db.models.product import Product
    from db.session import session_scope
    from simulator.provision import provision_units
    from tests.utils.factories import auth_headers

    with session_scope(actor="bench") as session:
        plain = provision_units(session, units - units // 10, prefix="77", software="2.0")
        waking = provision_units(session, units // 10, prefix="78", software="3.6")
        session.execute(
            update(Product).where(Product.product_imei.like("77%0")).values(dcm_enabled_flag=True)
        )
    with session_scope(actor="bench") as session:
        headers = auth_headers(session)
    for unit in plain:
        unit.readings_per_post = 1
    for unit in waking:
        unit.readings_per_post = 1
    return plain + waking, headers


async def main(rate: float, minutes: float, units: int, seed: int) -> None:
    from simulator.fleet import Fleet, serve_network

    env, api_env = await start_temporal_and_env()
    fleet, headers = provision(units)
    network_port = free_port()
    worker_env = api_env | {"SMARTSOLAR_SMS_SIMULATOR_URL": f"http://127.0.0.1:{network_port}"}
    timings = Timings()
    rng = random.Random(seed)
    settle: dict[str, float] = {}  # imei -> when the RC-GET that settles its switch change answered
    changes = {"switch": 0, "parameter": 0, "payment": 0}
    failures: list[str] = []
    with worker_process(worker_env) as worker, api_process(free_port(), api_env) as url:
        api_pid = _uvicorn_pid(url)
        sims = Fleet(url, fleet, interval=3600, receipt_key="simulated-gateway-key")
        server = await serve_network(sims, network_port)
        hooks = {"request": [timings.on_request], "response": [timings.on_response]}
        limits = httpx.Limits(max_connections=MAX_IN_FLIGHT)
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits, event_hooks=hooks) as http:
            kind_id = await _parameter_type(http, headers)
            before = {name: cpu_seconds(pid) for name, pid in _pids(worker.pid, api_pid, env).items()}
            started = time.monotonic()
            end = started + minutes * 60
            in_flight: set[asyncio.Task] = set()
            done, skipped, n = 0, 0, 0

            async def one(unit, change: str | None) -> None:
                nonlocal done
                try:
                    if change is not None:
                        await _write_change(http, headers, unit, change, kind_id)
                    await unit.connect(http)
                    if change == "switch":
                        settle[unit.imei] = time.time()
                    done += 1
                except Exception as err:  # noqa: BLE001 - counted: the soak's answer is how many fail
                    failures.append(f"{type(err).__name__}: {err}"[:200])

            while (now := time.monotonic()) < end:
                due = started + n / rate
                if due > now:
                    await asyncio.sleep(due - now)
                unit = fleet[n % len(fleet)]
                n += 1
                if len(in_flight) >= MAX_IN_FLIGHT:
                    skipped += 1
                    continue
                change = _pick_change(rng, unit)
                if change:
                    changes[change] += 1
                task = asyncio.create_task(one(unit, change))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            await asyncio.gather(*in_flight)
            wall = time.monotonic() - started
            after = {name: cpu_seconds(pid) for name, pid in _pids(worker.pid, api_pid, env).items()}
        server.should_exit = True
        lags = await _settle_lags(settle)
    await env.shutdown()
    _report(rate, minutes, wall, done, skipped, timings, lags, len(settle), changes, failures, before, after)
    errors = sum(timings.errors.values()) + len(failures) + sum(len(u.errors) for u in fleet)
    record("fleet_soak", "connections/s sustained", done / wall, rate, ">= 70 /s", done / wall >= 70, "/s")
    for route in ("POST /v1/rc_data", "GET /v1/rc_data"):
        p99 = percentile(timings.latency.get(route, [0.0]), 99) * 1000
        record("fleet_soak", f"{route} p99", p99, None, "< 500 ms", p99 < 500, "ms")
    lag99 = percentile(lags or [0.0], 99)
    record("fleet_soak", "settle lag p99", lag99, None, "< 2 s", lag99 < 2 and len(lags) == len(settle), "s")
    record("fleet_soak", "errors", errors, None, "0", errors == 0, "")


def _pick_change(rng: random.Random, unit) -> str | None:
    if rng.random() >= 0.05:
        return None
    roll = rng.random()
    if roll < 0.6:
        return "switch"
    if roll < 0.8 or not unit.imei.startswith("77") or not unit.imei.endswith("0"):
        return "parameter"
    return "payment"


async def _write_change(http, headers, unit, change: str, kind_id: int) -> None:
    if change == "switch":
        action = "disable" if unit.enable_flag else "enable"
        r = await http.put(f"/v1/products/{unit.imei}/{action}", headers=headers)
    elif change == "parameter":
        body = {"parameter_type_id": kind_id, "product_imei": unit.imei, "value": str(random.randint(1, 99))}
        r = await http.post("/v1/parameters", json=body, headers=headers)
    else:
        body = {"value": 3600, "category": "payment", "transaction_id": f"soak-{uuid.uuid4().hex[:12]}"}
        r = await http.post(f"/v1/products/{unit.imei}/add_payment_command", json=body, headers=headers)
    if r.status_code >= 300:
        raise RuntimeError(f"{change} for {unit.imei}: {r.status_code} {r.text[:120]}")


async def _parameter_type(http, headers) -> int:
    body = {
        "name": f"soak_{uuid.uuid4().hex[:8]}",
        "data_type": "float",
        "repeatable": False,
        "setting": True,
    }
    r = await http.post("/v1/parameter_types", json=body, headers=headers)
    r.raise_for_status()
    return r.json()["parameter_type_id"]


async def _settle_lags(settle: dict[str, float]) -> list[float]:
    """RC-GET answered -> the unit's newest enabled/disabled row, for the units whose switch change the
    soak's RC-GET delivered (a unit changed twice counts its last)."""
    from sqlalchemy import func, select

    from db.models.history import EnableHistory
    from db.session import session_scope

    deadline = time.time() + 60
    while True:
        with session_scope(actor="bench") as session:
            rows = dict(
                session.execute(
                    select(EnableHistory.product_imei, func.max(EnableHistory.created_at))
                    .where(EnableHistory.current_enable_state.in_(["enabled", "disabled"]))
                    .group_by(EnableHistory.product_imei)
                ).all()
            )
        lags = [rows[i].replace(tzinfo=UTC).timestamp() - t for i, t in settle.items() if i in rows]
        if len([lag for lag in lags if lag >= -0.5]) >= len(settle) or time.time() > deadline:
            return [max(lag, 0.0) for lag in lags if lag >= -0.5]
        await asyncio.sleep(0.5)


def _find_pid(*parts: str) -> int:
    """The process whose command line holds every one of `parts` (0 when none does)."""
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = open(f"/proc/{pid}/cmdline").read()
            except OSError:
                continue
            if all(part in cmd for part in parts):
                return int(pid)
    return 0


def _uvicorn_pid(url: str) -> int:
    return _find_pid("uvicorn", f"\x00{url.rsplit(':', 1)[1]}\x00")


def _pids(worker_pid: int, api_pid: int, env) -> dict[str, int]:
    port = str(env.client.service_client.config.target_host).rsplit(":", 1)[-1]
    return {"worker": worker_pid, "API": api_pid, "Temporal server": _find_pid("temporal", "start-dev", port)}


def _report(
    rate, minutes, wall, done, skipped, timings, lags, settled, changes, failures, before, after
) -> None:
    print(f"\nfleet soak: target {rate:g} connections/s for {minutes:g} min on {os.cpu_count()} CPUs")
    print(f"achieved {done / wall:.1f} connections/s ({done} in {wall:.0f} s; {skipped} not started: "
          f"{MAX_IN_FLIGHT} in flight)")  # fmt: skip
    print(f"changes written before a connection: {changes}; switch changes delivered: {settled}")
    for route, values in sorted(timings.latency.items()):
        ms = [v * 1000 for v in values]
        print(
            f"  {route:<28} n={len(ms):>7}  p50={percentile(ms, 50):8.1f} ms  p99={percentile(ms, 99):8.1f} ms"
        )
    if lags:
        print(f"  settle lag RC-GET -> row    n={len(lags):>7}  p50={percentile(lags, 50) * 1000:8.1f} ms  "
              f"p99={percentile(lags, 99) * 1000:8.1f} ms")  # fmt: skip
    print(f"errors: http {timings.errors or 0}, failed connections {len(failures)}")
    for failure in failures[:5]:
        print(f"  {failure}")
    for name in after:
        used = after[name] - before.get(name, 0.0)
        print(f"  CPU {name:<16} {used:7.1f} s = {used / wall * 100:5.1f}% of one core")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=70.0, help="connections per second")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with bench_database("smartsolar_bench_soak"):
        asyncio.run(main(args.rate, args.minutes, args.units, args.seed))
