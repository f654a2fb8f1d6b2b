"""The fleet soak's load, shared by its one-process run (bench/fleet_soak.py) and its cluster run
(bench/cluster_soak.py): the units, the open-loop connection schedule with the field's mix of changes, what
was asked of whom (the `Ledger` the checks in bench/soak_checks.py read), and the figures."""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bench.harness import percentile

MAX_IN_FLIGHT = 400
PAYMENT_SECONDS = 3600


class Timings:
    """Latency per route, from httpx's event hooks."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.rc_get_answered: dict[str, float] = {}  # imei -> when its latest RC-GET was answered (epoch)

    async def on_request(self, request: httpx.Request) -> None:
        request.extensions["started"] = time.perf_counter()

    async def on_response(self, response: httpx.Response) -> None:
        request = response.request
        key = f"{request.method} {re.sub(r'/[0-9]{15}', '/<imei>', request.url.path)}"
        self.latency.setdefault(key, []).append(time.perf_counter() - request.extensions["started"])
        if key == "GET /v1/rc_data":
            basic = request.headers["authorization"].split()[-1]
            self.rc_get_answered[base64.b64decode(basic).decode().split(":")[0]] = time.time()
        if response.status_code >= 400:
            self.errors[f"{key} {response.status_code}"] = (
                self.errors.get(f"{key} {response.status_code}", 0) + 1
            )

    def client(self, url: str) -> httpx.AsyncClient:
        hooks = {"request": [self.on_request], "response": [self.on_response]}
        # A new TCP connection per request, as units on cellular links make: a reused one can meet the
        # server's keep-alive timer closing it (on a starved event loop, even before the 5 s), and that
        # request then fails ("Server disconnected"), an error of the load generator, not of the API.
        limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=0)
        return httpx.AsyncClient(base_url=url, timeout=30, limits=limits, event_hooks=hooks)


@dataclass
class Ledger:
    """What the soak asked for, per unit: what the checks expect to find settled, each exactly once."""

    switches: dict[str, int] = field(default_factory=dict)  # imei -> enable/disable requests answered 2xx
    parameters: dict[str, list[str]] = field(
        default_factory=dict
    )  # imei -> values asked, in order (distinct)
    payments: dict[str, list[str]] = field(default_factory=dict)  # imei -> transaction ids, in order
    # imei -> (when the connection delivering its latest switch change began, when its RC-GET answered)
    settle: dict[str, tuple[float, float]] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=lambda: {"switch": 0, "parameter": 0, "payment": 0})
    _values: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_value(self) -> str:
        return str(next(self._values))

    def units_changed(self) -> set[str]:
        return set(self.switches) | set(self.parameters) | set(self.payments)


@dataclass
class Outcome:
    wall: float
    done: int
    skipped: int
    failures: list[str]
    cpu: dict[str, float]  # process name -> CPU seconds used during the load
    midway_at: float | None = None  # seconds into the load when `midway` ran


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children that were waited for (Linux /proc)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by named processes since the meter started; `freeze` keeps a process's figure before it is
    killed (a dead process has none to read)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self._frozen: dict[str, float] = {}

    def freeze(self, name: str) -> None:
        self._frozen[name] = cpu_seconds(self.pids[name])

    def used(self) -> dict[str, float]:
        return {
            name: self._frozen.get(name, cpu_seconds(pid)) - self._start[name]
            for name, pid in self.pids.items()
        }


def find_pid(*parts: str) -> int:
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


def uvicorn_pid(url: str) -> int:
    return find_pid("uvicorn", f"\x00{url.rsplit(':', 1)[1]}\x00")


def temporal_pid(env) -> int:
    port = str(env.client.service_client.config.target_host).rsplit(":", 1)[-1]
    return find_pid("temporal", "start-dev", port)


def provision(units: int):
    """`units` simulated units: a tenth run wake-up software (3.6), the rest 2.0, of which the imeis ending
    in 0 are DCM units; and a SYSTEM token header."""
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
    for unit in plain + waking:
        unit.readings_per_post = 1
    return plain + waking, headers


async def parameter_type(http: httpx.AsyncClient, headers) -> tuple[int, str]:
    """A parameter type of this run's own: its id and name."""
    name = f"soak_{uuid.uuid4().hex[:8]}"
    body = {"name": name, "data_type": "float", "repeatable": False, "setting": True}
    r = await http.post("/v1/parameter_types", json=body, headers=headers)
    r.raise_for_status()
    return r.json()["parameter_type_id"], name


def pick_change(rng: random.Random, unit, share: float = 0.05) -> str | None:
    """95% nothing; else an enable/disable (60%), a parameter, or a payment command (DCM units only)."""
    if rng.random() >= share:
        return None
    roll = rng.random()
    if roll < 0.6:
        return "switch"
    if roll < 0.8 or not is_dcm(unit.imei):
        return "parameter"
    return "payment"


def is_dcm(imei: str) -> bool:
    return imei.startswith("77") and imei.endswith("0")


async def write_change(http, headers, unit, change: str, kind_id: int, ledger: Ledger) -> None:
    """Ask for `change` through the API and note it in the ledger once the API took it."""
    if change == "switch":
        action = "disable" if unit.enable_flag else "enable"
        r = await http.put(f"/v1/products/{unit.imei}/{action}", headers=headers)
    elif change == "parameter":
        value = ledger.next_value()
        body = {"parameter_type_id": kind_id, "product_imei": unit.imei, "value": value}
        r = await http.post("/v1/parameters", json=body, headers=headers)
    else:
        transaction_id = f"soak-{uuid.uuid4().hex[:12]}"
        body = {"value": PAYMENT_SECONDS, "category": "payment", "transaction_id": transaction_id}
        r = await http.post(f"/v1/products/{unit.imei}/add_payment_command", json=body, headers=headers)
    if r.status_code >= 300:
        raise RuntimeError(f"{change} for {unit.imei}: {r.status_code} {r.text[:120]}")
    if change == "switch":
        ledger.switches[unit.imei] = ledger.switches.get(unit.imei, 0) + 1
    elif change == "parameter":
        ledger.parameters.setdefault(unit.imei, []).append(value)
    else:
        ledger.payments.setdefault(unit.imei, []).append(transaction_id)


async def drive(
    fleet: list,
    client_for: Callable[[object], httpx.AsyncClient],
    timings: Timings,
    headers: dict,
    kind_id: int,
    rate: float,
    minutes: float,
    seed: int,
    ledger: Ledger,
    pids: dict[str, int],
    midway: Callable[[CpuMeter], None] | None = None,
    share: float = 0.05,
) -> Outcome:
    """Connect units in turn at `rate` per second for `minutes`, open-loop (a connection starts on schedule
    whether or not earlier ones are done, up to MAX_IN_FLIGHT); `midway` runs once half-way through. A unit
    still in its previous connection is passed over for the next one, as a real unit connects one at a time."""
    rng = random.Random(seed)
    failures: list[str] = []
    meter = CpuMeter(pids)
    started = time.monotonic()
    end = started + minutes * 60
    in_flight: set[asyncio.Task] = set()
    busy: set[str] = set()
    done, skipped, n, cursor = 0, 0, 0, 0
    midway_at = None

    async def one(unit, change: str | None) -> None:
        nonlocal done
        http = client_for(unit)
        busy.add(unit.imei)
        try:
            if change is not None:
                await write_change(http, headers, unit, change, kind_id, ledger)
            began = time.time()
            await unit.connect(http)
            if change == "switch":
                ledger.settle[unit.imei] = (began, timings.rc_get_answered.get(unit.imei, time.time()))
            done += 1
        except Exception as err:  # noqa: BLE001 - counted: the soak's answer is how many fail
            failures.append(describe(err))
        finally:
            busy.discard(unit.imei)

    while (now := time.monotonic()) < end:
        if midway is not None and midway_at is None and now >= started + (end - started) / 2:
            midway(meter)
            midway_at = now - started
        due = started + n / rate
        if due > now:
            await asyncio.sleep(due - now)
        n += 1
        free = next(
            (i for i in range(cursor, cursor + len(fleet)) if fleet[i % len(fleet)].imei not in busy), None
        )
        if len(in_flight) >= MAX_IN_FLIGHT or free is None:
            skipped += 1
            continue
        unit, cursor = fleet[free % len(fleet)], free + 1
        change = pick_change(rng, unit, share)
        if change:
            ledger.changes[change] += 1
        task = asyncio.create_task(one(unit, change))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    wall = time.monotonic() - started
    return Outcome(wall, done, skipped, failures, meter.used(), midway_at)


def describe(err: Exception) -> str:
    """One line: the error and, for an HTTP one, the request it failed."""
    where = ""
    if isinstance(err, httpx.RequestError):
        try:
            where = f" ({err.request.method} {err.request.url.path})"
        except RuntimeError:  # raised by httpx when the error has no request
            pass
    return f"{type(err).__name__}{where}: {err}"[:200]


async def drain(fleet: list, imeis: set[str], client_for, failures: list[str]) -> None:
    """One more connection for each of `imeis`: its RC-POST reports what the last RC-GET gave it (parameters
    running, payment commands applied), which is what settles those kinds."""
    gate = asyncio.Semaphore(16)

    async def one(unit) -> None:
        async with gate:
            try:
                await unit.connect(client_for(unit))
            except httpx.HTTPError as err:
                failures.append(f"drain {unit.imei}: {describe(err)}")

    await asyncio.gather(*(one(unit) for unit in fleet if unit.imei in imeis))


def report(
    rate: float, minutes: float, outcome: Outcome, timings: Timings, lags: list[float], ledger
) -> None:
    wall = outcome.wall
    print(f"\nfleet soak: target {rate:g} connections/s for {minutes:g} min on {os.cpu_count()} CPUs "
          f"(load average at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())})")  # fmt: skip
    print(f"achieved {outcome.done / wall:.1f} connections/s ({outcome.done} in {wall:.0f} s; "
          f"{outcome.skipped} not started: {MAX_IN_FLIGHT} in flight)")  # fmt: skip
    print(
        f"changes written before a connection: {ledger.changes}; switch changes delivered: {len(ledger.settle)}"
    )
    for route, values in sorted(timings.latency.items()):
        ms = [v * 1000 for v in values]
        print(
            f"  {route:<28} n={len(ms):>7}  p50={percentile(ms, 50):8.1f} ms  p99={percentile(ms, 99):8.1f} ms"
        )
    if lags:
        print(f"  settle lag RC-GET -> row    n={len(lags):>7}  p50={percentile(lags, 50) * 1000:8.1f} ms  "
              f"p99={percentile(lags, 99) * 1000:8.1f} ms")  # fmt: skip
    print(f"errors: http {timings.errors or 0}, failed connections {len(outcome.failures)}")
    for failure in outcome.failures[:5]:
        print(f"  {failure}")
    for name, used in outcome.cpu.items():
        print(f"  CPU {name:<16} {used:7.1f} s = {used / wall * 100:5.1f}% of one core")
