"""Shared bench plumbing: a throw-away PostgreSQL database, free ports, percentiles, the API as a subprocess."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text

PG_SERVER = os.environ.get("SMARTSOLAR_BENCH_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432")


@contextmanager
def bench_database(name: str):
    """Create `<name>_<random>`, point the settings at it and migrate; drop it afterwards."""
    db = f"{name}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    url = f"{PG_SERVER}/{db}"
    os.environ["SMARTSOLAR_DATABASE_URL"] = url
    from smartsolar.run import migrate

    migrate(url)
    try:
        yield url
    finally:
        from db.session import get_engine

        get_engine().dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_process(port: int, env: dict[str, str]):
    """The API as `make run` runs it: uvicorn in its own process."""
    with child(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env,
    ):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"


@contextmanager
def worker_process(env: dict[str, str]):
    """The worker as `make run` runs it, in its own process (not competing with the load generator)."""
    with child(
        [sys.executable, "-m", "smartsolar.worker"], env | {"SMARTSOLAR_LOG_LEVEL": "WARNING"}
    ) as proc:
        yield proc


@contextmanager
def child(cmd: list[str], env: dict[str, str]):
    """`cmd` as a child process, stopped on the way out however the block ends: SIGTERM (a worker finishes
    its tasks in flight), then SIGKILL when it has not exited within 30 s, so no bench leaves one behind."""
    proc = subprocess.Popen(cmd, env=os.environ | env)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not let a slow exit fail the bench
            proc.kill()
            proc.wait()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(label: str, latencies_s: list[float], wall_s: float) -> str:
    ms = [v * 1000 for v in latencies_s]
    return (
        f"{label:<34} n={len(ms):>6}  p50={percentile(ms, 50):7.2f} ms  p99={percentile(ms, 99):7.2f} ms  "
        f"mean={statistics.fmean(ms):7.2f} ms  throughput={len(ms) / wall_s:8.1f}/s"
    )


async def start_temporal_and_env():
    """The real dev server for a bench, and the environment that points the API and worker processes at it
    and at the bench database, on a task queue of their own."""
    from temporalio.contrib.pydantic import pydantic_data_converter
    from temporalio.testing import WorkflowEnvironment

    from contracts.search import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID
    from core.settings import get_settings
    from smartsolar.temporal import binary

    settings = get_settings()
    settings.task_queue = f"bench-{uuid.uuid4()}"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=[PRODUCT_IMEI, REPAIR_ID, ENTITY_ID],
    )
    process_env = {
        "SMARTSOLAR_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "SMARTSOLAR_TASK_QUEUE": settings.task_queue,
        "SMARTSOLAR_DATABASE_URL": settings.database_url,
        # A dev server saturated by the bench answers slower than the API's 2 s outage bound.
        "SMARTSOLAR_TEMPORAL_UNAVAILABLE_SECONDS": "30",
    }
    return env, process_env


def provision_bench_units(units: int, prefix: str):
    """`units` simulated units (software without wake-ups: RC-GET does the work) and a SYSTEM token header."""
    from db.session import session_scope
    from simulator.provision import provision_units
    from tests.utils.factories import auth_headers

    with session_scope(actor="bench") as session:
        fleet = provision_units(session, units, prefix=prefix, software="2.0")
    with session_scope(actor="bench") as session:
        headers = auth_headers(session)
    return fleet, headers


RESULTS_ENV = "SMARTSOLAR_BENCH_RESULTS"


def record(
    bench: str,
    figure: str,
    value: float,
    baseline: float | None,
    goal: str,
    met: bool | None,
    unit: str = "",
) -> None:
    """One figure of a bench against its baseline of the same run, for `make bench`'s table (bench/all.py):
    appended as a JSON line to $SMARTSOLAR_BENCH_RESULTS when set (a bench run alone only prints)."""
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    ratio = value / baseline if baseline else None
    row = {"bench": bench, "figure": figure, "value": value, "baseline": baseline, "ratio": ratio}
    row |= {"goal": goal, "met": met, "unit": unit}
    with open(path, "a") as out:
        out.write(json.dumps(row) + "\n")
