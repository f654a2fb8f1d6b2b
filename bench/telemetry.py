"""Telemetry: writes through the API against raw writes to the same store, and a query of one week of
5-minute points for one unit with ds_interval=1h, API p50 against the raw query's p50, on both stores.

Raw, on InfluxDB: line protocol to /write and InfluxQL to /query. Raw, on the embedded store: one SQL
insert of the same rows, and the SQL select of the week's rows (the API then buckets them in Python).
Like with like: every write (API or raw) is one request of the same 864 points (a day of 3 fields) to a
series no earlier write touched, and the raw query is the one the API sends. API and raw calls alternate,
so both see the same load on a shared machine. Also printed: the API floor, the same route for a product
that does not exist (token check, product check, HTTP; no telemetry store), what any route pays.
Goals: API writes >= 0.5 x raw points/s; API query p50 <= 2 x raw p50.

    .venv/bin/python -m bench.telemetry [--requests 30] [--queries 30] [--backends embedded,influx]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.harness import api_process, bench_database, free_port, record

WEEK_POINTS = 7 * 24 * 12
START_MS = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000
DAY_POINTS = 3 * 288


def week_body(offset_ms: int = 0) -> dict:
    times = [START_MS + offset_ms + i * 300_000 for i in range(WEEK_POINTS)]
    return {
        "fields": {
            "voltage": [[t, 12 + (i % 24) / 10] for i, t in enumerate(times)],
            "current": [[t, (i % 12) / 5] for i, t in enumerate(times)],
            "temperature": [[t, 20 + (i % 7)] for i, t in enumerate(times)],
        }
    }


def timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def run_backend(backend: str, influx_url: str, requests: int, queries: int) -> dict:
    from db.session import session_scope
    from domain.permissions import Permission
    from tests.utils.factories import auth_headers, make_product

    database = f"bench_{os.getpid()}_{backend}"
    env = dict(os.environ) | {
        "SMARTSOLAR_TELEMETRY_BACKEND": backend,
        "SMARTSOLAR_INFLUX_URL": influx_url,
        "SMARTSOLAR_INFLUX_DATABASE": database,
    }
    with session_scope("bench") as session:
        units = [make_product(session).product_imei for _ in range(requests + 2)]
        headers = auth_headers(session, Permission.TECHNICAL)
    body = {"fields": {name: values[:288] for name, values in week_body()["fields"].items()}}  # one day
    with (
        api_process(free_port(), env) as base,
        httpx.Client(base_url=base, headers=headers, timeout=60) as http,
    ):
        raw_write, raw_query = raw_calls(backend, influx_url, database, units[-1], body, requests)
        raw_write(requests)  # warm both paths (schema, connections) on series not counted
        http.post(f"/v1/products/{units[-1]}/data", json=body).raise_for_status()
        api_s = raw_s = 0.0
        for i, imei in enumerate(units[:requests]):
            api_s += timed(
                lambda imei=imei: http.post(f"/v1/products/{imei}/data", json=body).raise_for_status()
            )
            raw_s += timed(lambda i=i: raw_write(i))
        http.post(f"/v1/products/{units[-2]}/data", json=week_body()).raise_for_status()
        params = {
            "start": str(START_MS),
            "end": str(START_MS + WEEK_POINTS * 300_000),
            "ds_interval": "1h",
        }

        def api_query():
            http.get(f"/v1/products/{units[-2]}/data", params=params).raise_for_status()

        def api_floor():
            assert http.get("/v1/products/999999999999999/data", params=params).status_code == 404

        api_query(), raw_query(units[-2]), api_floor()
        api_q, raw_q, floor_q = [], [], []
        for _ in range(queries):
            api_q.append(timed(api_query))
            raw_q.append(timed(lambda: raw_query(units[-2])))
            floor_q.append(timed(api_floor))
    return {
        "api_points_s": requests * DAY_POINTS / api_s,
        "raw_points_s": requests * DAY_POINTS / raw_s,
        "api_p50_ms": statistics.median(api_q) * 1000,
        "raw_p50_ms": statistics.median(raw_q) * 1000,
        "api_floor_p50_ms": statistics.median(floor_q) * 1000,
        "load_average": os.getloadavg(),
    }


def raw_units(requests: int) -> list[str]:
    """Imeis no API request wrote to (the raw writes' units; a raw write needs no product row)."""
    return [f"{9 * 10**14 + i:015d}" for i in range(requests + 1)]


def raw_calls(backend, influx_url, database, imei, body, requests):
    """(write(i): the day's points for raw unit i, query(imei): the week@1h read) without the API."""
    from domain.telemetry.embedded import EmbeddedStore
    from domain.telemetry.influx import InfluxStore
    from domain.telemetry.points import TelemetryWrite, build_batch

    batch = build_batch(imei, TelemetryWrite(**body), {})
    end_ns = (START_MS + WEEK_POINTS * 300_000) * 10**6
    if backend == "influx":
        store = InfluxStore(influx_url, database)
        store.ensure_schema()
        bodies = [
            "\n".join(
                f"telemetry,product_imei={unit} " + ",".join(f"{k}={v}" for k, v in values.items()) + f" {t}"
                for t, values in batch.points.items()
            ).encode()
            for unit in raw_units(requests)
        ]

        def write(i):
            store.http.post(
                "/write", params={"db": database, "rp": "telemetry_rp", "precision": "ns"}, content=bodies[i]
            ).raise_for_status()

        def query(unit):
            # The statement the API renders (domain/telemetry/influx.py select_statement).
            store.raw_query(
                f'SELECT mean("current") AS "current", mean("temperature") AS "temperature", mean("voltage") '
                f'AS "voltage" FROM "{database}"."telemetry_rp"."telemetry" WHERE "product_imei" = \'{unit}\' '
                f"AND time >= {START_MS * 10**6} AND time <= {end_ns} GROUP BY time(3600000000u) fill(none)"
            )

        return write, query
    from sqlalchemy import text

    from db.session import session_scope

    units = raw_units(requests)

    def write(i):
        with session_scope("bench") as session:
            batch.tags["product_imei"] = units[i]
            EmbeddedStore(session).write(batch)

    def query(unit):
        with session_scope("bench") as session:
            session.execute(
                text(
                    "SELECT time_ns, fields FROM telemetry_point WHERE product_imei = :imei AND measurement = "
                    "'telemetry' AND time_ns BETWEEN :start AND :end ORDER BY time_ns"
                ),
                {"imei": unit, "start": START_MS * 10**6, "end": end_ns},
            ).all()

    return write, query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--backends", default="embedded,influx", help="comma list: embedded, influx")
    args = parser.parse_args()
    from tests.utils.influxd import running_influxd

    results = {}
    with bench_database("bench_telemetry"), tempfile.TemporaryDirectory() as root:
        with running_influxd(Path(root)) as influx_url:
            for backend in args.backends.split(","):
                results[backend] = run_backend(backend, influx_url, args.requests, args.queries)
    print(json.dumps(results, indent=2))
    for backend, r in results.items():
        print(
            f"{backend}: writes {r['api_points_s']:.0f} points/s via API vs {r['raw_points_s']:.0f} raw "
            f"({r['api_points_s'] / r['raw_points_s']:.2f}x, goal >= 0.5); week@1h p50 {r['api_p50_ms']:.1f} ms "
            f"vs raw {r['raw_p50_ms']:.1f} ms ({r['api_p50_ms'] / r['raw_p50_ms']:.2f}x, goal <= 2); "
            f"API floor p50 {r['api_floor_p50_ms']:.1f} ms; load {r['load_average'][0]:.1f}"
        )
        api_w, raw_w, api_q, raw_q = r["api_points_s"], r["raw_points_s"], r["api_p50_ms"], r["raw_p50_ms"]
        record(
            "telemetry", f"{backend}: writes, points/s", api_w, raw_w, ">= 0.5 x", api_w >= 0.5 * raw_w, "/s"
        )
        record("telemetry", f"{backend}: week@1h query p50", api_q, raw_q, "<= 2 x", api_q <= 2 * raw_q, "ms")


if __name__ == "__main__":
    main()
