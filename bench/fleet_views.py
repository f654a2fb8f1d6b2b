"""Fleet views benchmark: dashboard2 (a page of 100, an entity-name filter, an order on a computed field)
and a full current_enable_status walk, on 100,000 units with entities, states, enable history,
connections, locations, software and energy limits, through the HTTP API (uvicorn in a subprocess)
against the same statements in raw SQLAlchemy Core, in the same run.

    .venv/bin/python -m bench.fleet_views [--units 100000] [--requests 100] [--page-size 1000]

Goals: API p50 <= 2 x raw p50; a full current_enable_status walk of 100,000 units in under 60 s.
Figures go in README.md ("Fleet views").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta

import httpx  # noqa: E402,I001
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench import table_api as tb  # sets SMARTSOLAR_DATABASE_URL to a throw-away database first
from bench.harness import record
from bench.table_api import copy_rows, make_token, measure_pair

ENTITIES, TYPES, ENTITY = 10, 20, "bench-entity-3"
Q = {
    "filters": [{"name": "entities", "op": "eq", "val": ENTITY}],
    "order_by": [{"field": "capacity_limit", "direction": "desc"}],
}
PAGE, PER_PAGE = 2, 100


def imei(n: int) -> str:
    return f"{n:015d}"


def load(engine, units: int) -> None:
    """Per unit: an entity link, a state, an enable-history row, two connections (the older one located),
    installed software, an active energy_limit, a note; the product's latest_* ids point at them."""
    now = datetime(2026, 1, 1)
    copy_rows(
        engine, "product_type", ["name", "created_at"], ((f"bench-type-{n}", now) for n in range(TYPES))
    )
    copy_rows(
        engine,
        "entity",
        ["name", "bboxx_company_flag", "created_at"],
        ((f"bench-entity-{n}", False, now) for n in range(ENTITIES)),
    )
    copy_rows(engine, "software_version_type", ["name", "release_date"], ((f"9.{n}", now) for n in range(3)))
    with engine.begin() as conn:
        types = conn.execute(
            text("SELECT product_type_id FROM product_type WHERE name LIKE 'bench-%'")
        ).scalars()
        types = list(types)
        entities = list(
            conn.execute(text("SELECT entity_id FROM entity WHERE name LIKE 'bench-%'")).scalars()
        )
        software = list(
            conn.execute(text("SELECT software_version_type_id FROM software_version_type")).scalars()
        )
        conn.execute(
            text(
                "INSERT INTO parameter_type (name, data_type, repeatable, setting) "
                "SELECT 'energy_limit', 'float', false, true "
                "WHERE NOT EXISTS (SELECT 1 FROM parameter_type WHERE name = 'energy_limit')"
            )
        )
        energy = conn.execute(
            text("SELECT parameter_type_id FROM parameter_type WHERE name = 'energy_limit'")
        ).scalar()
    flags = ["rtc_enabled_flag", "dcm_enabled_flag", "is_payg", "current_tamper_flag", "desired_tamper_flag"]
    copy_rows(
        engine,
        "product",
        ["product_imei", "product_type_id", "serial_number", "imsi", "current_enable_flag", "desired_enable_flag",
         *flags, "created_at", "created_by"],
        (
            (imei(n), types[n % TYPES], f"SN-{n}", f"{n + 10**14:015d}", n % 2 == 0, n % 3 != 0,
             False, n % 5 == 0, True, False, False, now + timedelta(seconds=n), "bench")
            for n in range(units)
        ),
    )  # fmt: skip
    copy_rows(
        engine,
        "product_entity_linker",
        ["product_imei", "entity_id", "date_added", "created_at"],
        ((imei(n), entities[n % ENTITIES], now, now) for n in range(units)),
    )
    copy_rows(
        engine,
        "state",
        ["product_imei", "prev_state_type", "current_state_type", "created_at"],
        ((imei(n), 4, 5 + n % 4, now) for n in range(units)),
    )
    copy_rows(
        engine,
        "enable_history",
        ["product_imei", "prev_enable_state", "current_enable_state", '"user"', "date", "created_at"],
        (
            (imei(n), "pending_enabled", "enabled", "erp@bench", now + timedelta(minutes=n), now)
            for n in range(units)
        ),
    )
    copy_rows(
        engine,
        "connection",
        ["product_imei", "location_failed_flag", "date", "latitude", "longitude", "error_radius"],
        (
            row
            for n in range(units)
            for row in (
                (imei(n), False, now + timedelta(hours=n % 97), "-1.95", "30.06", 500),
                (imei(n), True, now + timedelta(hours=n % 97 + 4), None, None, None),
            )
        ),
    )
    copy_rows(
        engine,
        "product_software_linker",
        ["product_imei", "software_version_type_id", "date_added", "status"],
        ((imei(n), software[n % 3], now, "active") for n in range(units)),
    )
    copy_rows(
        engine,
        "parameter",
        ["parameter_type_id", "product_imei", "value", "status"],
        ((energy, imei(n), str(n % 37), "active") for n in range(units)),
    )
    copy_rows(
        engine,
        "product_note",
        ["note_text", "product_imei", "created_at"],
        ((f"note {n}", imei(n), now) for n in range(units)),
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE product p SET latest_state_id = s.state_id, latest_enable_history_id = e.enable_history_id "
                "FROM state s, enable_history e "
                "WHERE s.product_imei = p.product_imei AND e.product_imei = p.product_imei"
            )
        )
        conn.execute(
            text(
                "UPDATE product p SET latest_connection_id = c.latest, latest_connection_location_id = c.located "
                "FROM (SELECT product_imei, max(connection_id) AS latest, "
                "      max(connection_id) FILTER (WHERE NOT location_failed_flag) AS located "
                "      FROM connection GROUP BY product_imei) c "
                "WHERE c.product_imei = p.product_imei"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def raw_dashboard(engine):
    """The statements the API runs for this page, written in Core: the visible count, the filtered count,
    the page, and the page's entities, open alerts and notes."""
    from db.models.alert import Alert
    from db.models.organisation import Entity
    from db.models.product import Product, ProductEntityLinker, ProductNote
    from domain.fleet import sources
    from domain.fleet.dashboard import DASHBOARD

    entity_filter = (
        select(ProductEntityLinker.product_entity_linker_id)
        .join(Entity, Entity.entity_id == ProductEntityLinker.entity_id)
        .where(sources.current_links(), Entity.name == ENTITY)
        .exists()
    )
    order = (DASHBOARD.column("capacity_limit").desc(), Product.product_imei.asc())

    def run() -> list:
        with engine.connect() as conn:
            conn.execute(select(func.count()).select_from(Product)).scalar()
            conn.execute(
                select(func.count()).select_from(DASHBOARD.from_clause).where(entity_filter)
            ).scalar()
            statement = select(*DASHBOARD.readable).select_from(DASHBOARD.from_clause).where(entity_filter)
            rows = conn.execute(
                statement.order_by(*order).offset((PAGE - 1) * PER_PAGE).limit(PER_PAGE)
            ).all()
            imeis = [row.product_imei for row in rows]
            conn.execute(
                select(ProductEntityLinker.product_imei, Entity)
                .join(Entity, Entity.entity_id == ProductEntityLinker.entity_id)
                .where(
                    ProductEntityLinker.product_imei.in_(imeis), ProductEntityLinker.date_removed.is_(None)
                )
            ).all()
            conn.execute(
                select(Alert).where(Alert.product_imei.in_(imeis), Alert.dismissed_at.is_(None))
            ).all()
            conn.execute(select(ProductNote).where(ProductNote.product_imei.in_(imeis))).all()
            return rows

    return run


def raw_status_page(engine, size: int):
    """One keyset page of current_enable_status in Core (page + count, as the API runs them)."""
    from db.models.product import Product
    from domain.fleet.enable_status import COLUMNS

    def run(after: str | None) -> list:
        statement = select(*COLUMNS).order_by(Product.product_imei).limit(size + 1)
        if after is not None:
            statement = statement.where(Product.product_imei > after)
        with engine.connect() as conn:
            rows = conn.execute(statement).all()
            conn.execute(select(func.count()).select_from(Product)).scalar()
        return rows[:size]

    return run


def walk(page: callable) -> tuple[float, int, list[float]]:
    """Walk every page; (seconds, units seen, per-page latencies)."""
    after, seen, latencies = None, 0, []
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        rows, after = page(after)
        latencies.append(time.perf_counter() - t0)
        seen += len(rows)
        if after is None:
            return time.perf_counter() - started, seen, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()

    with tb.bench_database(), tb.running_api() as base_url:
        engine = create_engine(tb.DATABASE_URL, pool_size=5)
        t0 = time.perf_counter()
        load(engine, args.units)
        print(f"loaded {args.units:,} units (+ links, states, enable rows, 2 connections, software, limits, notes) "
              f"in {time.perf_counter() - t0:.1f}s")  # fmt: skip
        overview, factory = make_token(), make_token(permission="FACTORY")
        client = httpx.Client(base_url=base_url, timeout=60)

        def dashboard() -> dict:
            params = {"q": json.dumps(Q), "page": PAGE, "results_per_page": PER_PAGE}
            response = client.get(
                "/v1/dashboard2", params=params, headers={"Authorization": f"Token token={overview}"}
            )
            response.raise_for_status()
            return response.json()

        raw = raw_dashboard(engine)
        body = dashboard()
        same = [o["product_imei"] for o in body["data"]] == [r.product_imei for r in raw()]
        print(f"dashboard2 q={json.dumps(Q)} page={PAGE} results_per_page={PER_PAGE}")
        print(
            f"  {body['num_results_filtered']:,} of {body['num_results']:,} units match; API page == raw page: {same}"
        )
        api_figures, raw_figures = measure_pair(dashboard, raw, args.requests, warmup=5)
        results = {"raw SQLAlchemy Core": raw_figures, "API": api_figures}
        print(
            f"\n{args.requests} sequential dashboard2 requests each, API and raw alternating, after 5 warm-up:"
        )
        print(f"{'':22} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
        for name, figures in results.items():
            print(f"{name:22} {figures['p50']:8.1f} {figures['p99']:8.1f} {figures['throughput']:8.1f}")
        print(
            f"API p50 / raw p50 = {results['API']['p50'] / results['raw SQLAlchemy Core']['p50']:.2f} (goal <= 2)"
        )
        a50, r50 = results["API"]["p50"], results["raw SQLAlchemy Core"]["p50"]
        record("fleet_views", "dashboard2 page p50", a50, r50, "<= 2 x", a50 <= 2 * r50, "ms")

        def api_page(after):
            params = {"results_per_page": args.page_size} | ({"after": after} if after else {})
            response = client.get(
                "/v1/current_enable_status",
                params=params,
                headers={"Authorization": f"Token token={factory}"},
            )
            response.raise_for_status()
            body = response.json()
            return body["data"], body["next_after"]

        raw_page = raw_status_page(engine, args.page_size)

        def core_page(after):
            rows = raw_page(after)
            return rows, (rows[-1].product_imei if len(rows) == args.page_size else None)

        print(f"\ncurrent_enable_status walk, results_per_page={args.page_size}, following next_after:")
        walks = {}
        for name, page in (("raw SQLAlchemy Core", core_page), ("API", api_page)):
            seconds, seen, latencies = walk(page)
            walks[name] = seconds
            latencies.sort()
            print(f"  {name:20} {seen:,} units in {seconds:.1f}s ({len(latencies)} pages, "
                  f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms/page) (goal < 60 s)")  # fmt: skip
        api_s, raw_s = walks["API"], walks["raw SQLAlchemy Core"]
        figure = f"current_enable_status walk of {args.units:,} units"
        record("fleet_views", figure, api_s, raw_s, "< 60 s", api_s < 60, "s")
        client.close()
        engine.dispose()
        return 0


if __name__ == "__main__":
    sys.exit(main())
