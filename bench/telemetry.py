"""Telemetry: writes through the API against raw writes to the same store, and a query of one week of
5-minute points for one unit with ds_interval=1h, API p50 against the raw query's p50, on both stores.

Raw, on InfluxDB: line protocol to /write and InfluxQL to /query. Raw, on the embedded store: one SQL
insert of the same rows, and the SQL select of the week's rows (the API then buckets them in Python).
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


def week_body(offset_ms: int = 0) -> dict:
    times = [START_MS + offset_ms + i * 300_000 for i in range(WEEK_POINTS)]
    return {
        "fields": {
            "voltage": [[t, 12 + (i % 24) / 10] for i, t in enumerate(times)],
            "current": [[t, (i % 12) / 5] for i, t in enumerate(times)],
            "temperature": [[t, 20 + (i % 7)] for i, t in enumerate(times)],
        }
    }


def p50(call, n: int) -> float:
    call()
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


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
    points = 3 * 288
    with (
        api_process(free_port(), env) as base,
        httpx.Client(base_url=base, headers=headers, timeout=60) as http,
    ):
        began = time.perf_counter()
        for imei in units[:requests]:
            http.post(f"/v1/products/{imei}/data", json=body).raise_for_status()
        api_rate = requests * points / (time.perf_counter() - began)
        raw_rate, raw_query = raw_calls(backend, influx_url, database, units[-1], body, requests, points)
        http.post(f"/v1/products/{units[-2]}/data", json=week_body()).raise_for_status()
        params = {
            "start": str(START_MS),
            "end": str(START_MS + WEEK_POINTS * 300_000),
            "ds_interval": "1h",
        }
        api_p50 = p50(
            lambda: http.get(f"/v1/products/{units[-2]}/data", params=params).raise_for_status(), queries
        )
        raw_p50 = p50(lambda: raw_query(units[-2]), queries)
    return {"api_points_s": api_rate, "raw_points_s": raw_rate, "api_p50_ms": api_p50, "raw_p50_ms": raw_p50}


def raw_units(requests: int) -> list[str]:
    """Imeis no API request wrote to (the raw writes' units; a raw write needs no product row)."""
    return [f"{9 * 10**14 + i:015d}" for i in range(requests)]


def raw_calls(backend, influx_url, database, imei, body, requests, points):
    from domain.telemetry.embedded import EmbeddedStore
    from domain.telemetry.influx import InfluxStore
    from domain.telemetry.points import TelemetryWrite, build_batch

    batch = build_batch(imei, TelemetryWrite(**body), {})
    end_ns = (START_MS + WEEK_POINTS * 300_000) * 10**6
    if backend == "influx":
        store = InfluxStore(influx_url, database)
        store.ensure_schema()
        # Like the API's: each request a new series (a unit of its own), the same 288 lines of 3 fields.
        bodies = [
            "\n".join(
                f"telemetry,product_imei={unit} " + ",".join(f"{k}={v}" for k, v in values.items()) + f" {t}"
                for t, values in batch.points.items()
            ).encode()
            for unit in raw_units(requests)
        ]
        began = time.perf_counter()
        for lines in bodies:
            store.http.post(
                "/write", params={"db": database, "rp": "telemetry_rp", "precision": "ns"}, content=lines
            ).raise_for_status()
        rate = requests * points / (time.perf_counter() - began)

        def query(unit):
            store.raw_query(
                f'SELECT mean("current"), mean("temperature"), mean("voltage") FROM "telemetry_rp"."telemetry" '
                f"WHERE product_imei = '{unit}' AND time >= {START_MS * 10**6} AND time <= {end_ns} "
                "GROUP BY time(1h) fill(none)"
            )

        return rate, query
    from sqlalchemy import text

    from db.session import session_scope

    began = time.perf_counter()
    for unit in raw_units(requests):
        with session_scope("bench") as session:
            batch.tags["product_imei"] = unit
            EmbeddedStore(session).write(batch)
    rate = requests * points / (time.perf_counter() - began)

    def query(unit):
        with session_scope("bench") as session:
            session.execute(
                text(
                    "SELECT time_ns, fields FROM telemetry_point WHERE product_imei = :imei AND measurement = "
                    "'telemetry' AND time_ns BETWEEN :start AND :end ORDER BY time_ns"
                ),
                {"imei": unit, "start": START_MS * 10**6, "end": end_ns},
            ).all()

    return rate, query


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
            f"vs raw {r['raw_p50_ms']:.1f} ms ({r['api_p50_ms'] / r['raw_p50_ms']:.2f}x, goal <= 2)"
        )
        api_w, raw_w, api_q, raw_q = r["api_points_s"], r["raw_points_s"], r["api_p50_ms"], r["raw_p50_ms"]
        record(
            "telemetry", f"{backend}: writes, points/s", api_w, raw_w, ">= 0.5 x", api_w >= 0.5 * raw_w, "/s"
        )
        record("telemetry", f"{backend}: week@1h query p50", api_q, raw_q, "<= 2 x", api_q <= 2 * raw_q, "ms")


if __name__ == "__main__":
    main()
