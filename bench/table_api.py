"""Table API benchmark: a collection GET (page of 100, two filters, one order_by) on 100,000 products,
through the HTTP API (uvicorn in a subprocess) against the same statements in raw SQLAlchemy Core, calls alternating.

Creates its own PostgreSQL database, migrates it, bulk-loads the rows with COPY, measures a bounded
number of requests, prints p50 / p99 / throughput and the ratio, and drops the database.

    .venv/bin/python bench/table_api.py [--products 100000] [--requests 300]

Goal: API p50 <= 1.5 x raw p50, for a GLOBAL user and for an ENTITY user (whose raw baseline has the same
scope condition). Figures go in README.md ("Table API").
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER = os.environ.get("SMARTSOLAR_BENCH_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432")
DB_NAME = f"smartsolar_bench_{uuid.uuid4().hex[:8]}"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
# Before any project import reads the settings.
os.environ["SMARTSOLAR_DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("SMARTSOLAR_PASSWORD_HASH_COST", "16")

import httpx  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.harness import record  # noqa: E402

PRODUCT_TYPES, ENTITIES = 20, 10
PAGE, PER_PAGE = 2, 100


def query(product_type_id: int) -> dict:
    """Two filters and one order_by; the type is one the bench loaded (read back: the migrations' reference
    data takes ids of its own)."""
    return {
        "filters": [
            {"name": "product_type_id", "op": "==", "val": product_type_id},
            {"name": "current_enable_flag", "op": "==", "val": True},
        ],
        "order_by": [{"field": "created_at", "direction": "desc"}],
    }


def admin_engine():
    return create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def copy_rows(engine, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)
        raw.commit()
    finally:
        raw.close()


def load(engine, products: int) -> tuple[list[int], list[int]]:
    """Types, entities, the products, and per product its entity link and a note; the ids of the types and
    entities loaded, in order."""
    now = datetime(2024, 1, 1)
    copy_rows(
        engine,
        "product_type",
        ["name", "created_at"],
        ((f"bench-type-{n}", now) for n in range(PRODUCT_TYPES)),
    )
    copy_rows(
        engine,
        "entity",
        ["name", "bboxx_company_flag", "created_at"],
        ((f"bench-entity-{n}", False, now) for n in range(ENTITIES)),
    )
    with engine.connect() as conn:
        types, entities = (
            list(
                conn.execute(
                    text(f"SELECT {key} FROM {table} WHERE name LIKE 'bench-%' ORDER BY {key}")
                ).scalars()
            )
            for table, key in (("product_type", "product_type_id"), ("entity", "entity_id"))
        )
    columns = [
        "product_imei",
        "product_type_id",
        "serial_number",
        "imsi",
        "current_enable_flag",
        "desired_enable_flag",
        "rtc_enabled_flag",
        "dcm_enabled_flag",
        "is_payg",
        "current_tamper_flag",
        "desired_tamper_flag",
        "gps_lat",
        "gps_lon",
        "assembler",
        "created_at",
        "created_by",
    ]
    copy_rows(
        engine,
        "product",
        columns,
        (
            (
                f"{n:015d}",
                types[n % PRODUCT_TYPES],
                f"SN-{n}",
                f"{n + 10**14:015d}",
                n % 2 == 0,
                n % 2 == 0,
                False,
                True,
                True,
                False,
                False,
                -1.2 + n / 1e6,
                36.8,
                "bench",
                now + timedelta(seconds=n),
                "bench",
            )
            for n in range(products)
        ),
    )
    copy_rows(
        engine,
        "product_entity_linker",
        ["product_imei", "entity_id", "date_added", "created_at"],
        ((f"{n:015d}", entities[n % ENTITIES], now, now) for n in range(products)),
    )
    copy_rows(
        engine,
        "product_note",
        ["note_text", "product_imei", "created_at"],
        ((f"note {n}", f"{n:015d}", now) for n in range(products)),
    )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return types, entities


def make_token(scope: str = "GLOBAL", entity_id: int | None = None, permission: str = "OVERVIEW") -> str:
    """A user (OVERVIEW unless told) and a live token for it, without going through /auth/login."""
    from core.clock import utcnow
    from db.models.user import ApiToken
    from db.session import session_scope
    from domain.passwords import hash_token, new_token
    from domain.permissions import Permission, Scope
    from domain.users import create_user

    token = new_token()
    with session_scope(actor="bench") as session:
        user = create_user(
            session,
            username=f"bench-{uuid.uuid4().hex[:6]}",
            password="bench",
            permissions=Permission[permission],
            scope=Scope[scope],
            entity_id=entity_id,
        )
        session.add(
            ApiToken(
                token_hash=hash_token(token), user_id=user.user_id, expires_at=utcnow() + timedelta(hours=3)
            )
        )
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_api(port: int) -> subprocess.Popen:
    from smartsolar.run import wait_for_port

    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ})
    wait_for_port("127.0.0.1", port, timeout=60, proc=proc)
    return proc


@contextmanager
def bench_database() -> Iterator[None]:
    """The throw-away database: created and migrated, dropped afterwards whatever happens."""
    with admin_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    try:
        from smartsolar.run import migrate

        migrate(DATABASE_URL)
        yield
    finally:
        from db.session import get_engine

        get_engine().dispose()
        with admin_engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))


@contextmanager
def running_api() -> Iterator[str]:
    """The API under uvicorn on a free port, for the time of the block; yields its base url."""
    port = free_port()
    proc = start_api(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def figures(latencies: list[float], elapsed: float) -> dict[str, float]:
    latencies = sorted(latencies)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "throughput": len(latencies) / elapsed,
    }


def measure_pair(
    api: Callable[[], object], raw: Callable[[], object], requests: int, warmup: int = 20
) -> tuple[dict[str, float], dict[str, float]]:
    """`requests` calls of each, alternating, so the shared machine's load drifts over both alike."""
    for _ in range(warmup):
        api()
        raw()
    spent: dict[Callable[[], object], list[float]] = {api: [], raw: []}
    for _ in range(requests):
        for call in (api, raw):
            t0 = time.perf_counter()
            call()
            spent[call].append(time.perf_counter() - t0)
    return figures(spent[api], sum(spent[api])), figures(spent[raw], sum(spent[raw]))


def raw_core_query(engine, product_type_id: int, entity_id: int | None = None) -> Callable[[], list]:
    """The same two statements the API runs for this request (count, then the page), in Core; for an
    ENTITY user with the same scope condition (EXISTS on the unit's entity link)."""
    from db.models.product import Product
    from domain.scope import UnitScope
    from domain.tables.columns import table_info

    columns = table_info(Product).readable
    scope = UnitScope(entity_id=entity_id).imei_visible(Product.product_imei)
    where = [scope, Product.product_type_id == product_type_id, Product.current_enable_flag.is_(True)]

    def run() -> list:
        with engine.connect() as conn:
            conn.execute(select(func.count()).select_from(Product.__table__).where(*where)).scalar()
            page = (
                select(*columns)
                .where(*where)
                .order_by(Product.created_at.desc(), Product.product_imei.asc())
                .offset((PAGE - 1) * PER_PAGE)
                .limit(PER_PAGE)
            )
            return conn.execute(page).all()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    with bench_database(), running_api() as base_url:
        engine = create_engine(DATABASE_URL, pool_size=5)
        t0 = time.perf_counter()
        types, entities = load(engine, args.products)
        print(f"loaded {args.products:,} products (+ entity links, notes) in {time.perf_counter() - t0:.1f}s")
        global_token, entity_token = make_token(), make_token("ENTITY", entity_id=entities[2])
        Q = query(types[2])

        client = httpx.Client(base_url=base_url, timeout=30)
        params = {"q": json.dumps(Q), "page": PAGE, "results_per_page": PER_PAGE}

        def api_call(token: str) -> Callable[[], dict]:
            def call() -> dict:
                response = client.get(
                    "/v1/products", params=params, headers={"Authorization": f"Token token={token}"}
                )
                response.raise_for_status()
                return response.json()

            return call

        raw = raw_core_query(engine, types[2])
        raw_entity = raw_core_query(engine, types[2], entities[2])
        print(f"query: {json.dumps(Q)} page={PAGE} results_per_page={PER_PAGE}")
        for token, core in ((global_token, raw), (entity_token, raw_entity)):
            body = api_call(token)()
            same = [o["product_imei"] for o in body["objects"]] == [r.product_imei for r in core()]
            print(f"  matches {body['num_results']:,} rows; API page == raw page: {same}")
            assert same and body["objects"], "the API and the raw query must answer the same page"

        results = {}
        pairs = (("GLOBAL", global_token, raw), ("ENTITY", entity_token, raw_entity))
        for scope, token, core in pairs:
            api_figures, raw_figures = measure_pair(api_call(token), core, args.requests)
            results[f"API ({scope} user)"] = api_figures
            results[f"raw Core, {scope} scope"] = raw_figures
        print(f"\n{args.requests} sequential requests each, API and raw alternating, after 20 warm-up:")
        print(f"{'':24} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
        for name, figures in results.items():
            print(f"{name:24} {figures['p50']:8.2f} {figures['p99']:8.2f} {figures['throughput']:8.1f}")
        for scope, api, core in (
            ("GLOBAL", "API (GLOBAL user)", "raw Core, GLOBAL scope"),
            ("ENTITY", "API (ENTITY user)", "raw Core, ENTITY scope"),
        ):
            a50, r50 = results[api]["p50"], results[core]["p50"]
            print(f"{scope}: API p50 / raw p50 = {a50 / r50:.2f} (goal <= 1.5)")
            figure = f"page 2 of 100, two filters, {args.products:,} products, {scope} p50"
            record("table_api", figure, a50, r50, "<= 1.5 x", a50 <= 1.5 * r50, "ms")
        client.close()
        engine.dispose()
        return 0


if __name__ == "__main__":
    sys.exit(main())
