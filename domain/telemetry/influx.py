"""InfluxDB through its 1.x HTTP API (`/write` line protocol, `/query` InfluxQL), which 1.x serves and
2.x / 3.x serve as their v1-compatible endpoints.

Lines are as influxdb-client's `Point` builds them (its line protocol escaping works for any version;
`line_protocol` renders a batch's series key with it once); the HTTP calls are httpx, because that
client's own write and query APIs speak only the 2.x `/api/v2`.
InfluxQL is rendered from checked names (double-quoted identifiers) and parsed values (numbers from
Python floats, strings single-quoted with escapes): no request text is pasted into a query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import httpx

from domain.errors import ValidationFailed
from domain.telemetry import line_protocol, schema
from domain.telemetry.points import PointBatch
from domain.telemetry.query import TelemetryQuery
from domain.telemetry.schema import FieldType
from domain.telemetry.store import Row, TelemetryUnavailable
from domain.telemetry.where import AllOf, AnyOf, Comparison, Expression

FIELDS_FRESH_SECONDS = 5.0


def identifier(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(value: float | str) -> str:
    if isinstance(value, float):
        return repr(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render(expression: Expression) -> str:
    if isinstance(expression, Comparison):
        return f"{identifier(expression.field)} {expression.op} {literal(expression.value)}"
    joiner = " AND " if isinstance(expression, AllOf) else " OR "
    assert isinstance(expression, AllOf | AnyOf)
    return "(" + joiner.join(render(part) for part in expression.parts) + ")"


def select_statement(database: str, query: TelemetryQuery, fields: list[str]) -> str:
    rp = schema.retention_policy(query.measurement)
    source = f"{identifier(database)}.{identifier(rp) if rp else ''}.{identifier(query.measurement)}"
    conditions = [f"{identifier(key)} = {literal(value)}" for key, value in query.all_tags.items()]
    conditions += [f"time >= {query.start_ns}", f"time <= {query.end_ns}"]
    if query.where is not None:
        conditions.append(render(query.where))
    if query.downsample is None:
        columns = ", ".join(identifier(name) for name in fields)
        grouping = ""
    else:
        function = query.downsample.function  # one of query.FUNCTIONS, never request text
        columns = ", ".join(f"{function}({identifier(name)}) AS {identifier(name)}" for name in fields)
        grouping = f" GROUP BY time({query.downsample.interval_ns // 1000}u) fill(none)"
    limit = f" LIMIT {int(query.limit)}" if query.limit else ""
    return f"SELECT {columns} FROM {source} WHERE {' AND '.join(conditions)}{grouping}{limit}"


class InfluxStore:
    """One per process: a pooled HTTP client (keep-alive connections to InfluxDB, shared by the API's
    worker threads) and a cache of field types."""

    def __init__(self, url: str, database: str, username: str = "", password: str = "", timeout: float = 10):
        self.database = database
        auth = (username, password) if username else None
        self.http = httpx.Client(base_url=url.rstrip("/"), auth=auth, timeout=timeout)
        self._types: dict[str, dict[str, FieldType]] = {}
        self._read_at: dict[str, float] = {}
        self._ready = False
        self._lock = threading.Lock()

    def ensure_schema(self) -> None:
        """The database and the doc's retention policies (kept forever; both statements are idempotent)."""
        with self._lock:
            if self._ready:
                return
            statements = [f"CREATE DATABASE {identifier(self.database)}"] + [
                f"CREATE RETENTION POLICY {identifier(rp)} ON {identifier(self.database)} DURATION INF REPLICATION 1"
                for rp in schema.RETENTION_POLICIES.values()
            ]
            self._query("; ".join(statements), post=True)
            self._ready = True

    def field_types(self, measurement: str, wanted: Iterable[str] = ()) -> dict[str, FieldType]:
        """A field's type never changes once written, so the cache answers while it knows every `wanted`
        name; asked for all fields (no `wanted`), it is re-read after FIELDS_FRESH_SECONDS, so that fields
        another API process wrote show up."""
        wanted = list(wanted)
        cached = self._types.get(measurement)
        read_at = self._read_at.get(measurement, 0.0)
        stale = not wanted and time.monotonic() - read_at > FIELDS_FRESH_SECONDS
        if cached is None or stale or any(name not in cached for name in wanted):
            self.ensure_schema()
            rp = schema.retention_policy(measurement)
            source = f"{identifier(rp)}.{identifier(measurement)}" if rp else identifier(measurement)
            result = self._query(f"SHOW FIELD KEYS FROM {source}")
            cached = {name: FieldType(kind) for series in result for name, kind in series["values"]}
            self._types[measurement] = cached
            self._read_at[measurement] = time.monotonic()
        return cached

    def write(self, batch: PointBatch) -> None:
        self.ensure_schema()
        params = {"db": self.database, "precision": "ns"}
        rp = schema.retention_policy(batch.measurement)
        if rp:
            params["rp"] = rp
        response = self._send("POST", "/write", params=params, content=line_protocol.lines(batch))
        if response.status_code == 400:  # e.g. a field type conflict a concurrent write created
            raise ValidationFailed(f"InfluxDB refused the points: {_error(response)}")
        if response.status_code != 204:
            raise TelemetryUnavailable(f"InfluxDB write failed ({response.status_code}): {_error(response)}")
        for name, kind in batch.types.items():
            self._types.setdefault(batch.measurement, {}).setdefault(name, kind)

    def read(self, query: TelemetryQuery, fields: list[str]) -> list[Row]:
        self.ensure_schema()
        result = self._query(select_statement(self.database, query, fields))
        rows = [(row[0], row[1:]) for series in result for row in series["values"]]
        return sorted(rows, key=lambda row: row[0])

    def raw_query(self, statement: str) -> list[dict]:
        """Run InfluxQL as it is (benchmarks and tests only; the API renders from a checked query)."""
        return self._query(statement)

    def _query(self, statement: str, post: bool = False) -> list[dict]:
        params = {"db": self.database, "q": statement, "epoch": "ns"}
        response = self._send("POST" if post else "GET", "/query", params=params)
        if response.status_code == 400:
            raise ValidationFailed(f"InfluxDB refused the query: {_error(response)}")
        if response.status_code != 200:
            raise TelemetryUnavailable(f"InfluxDB query failed ({response.status_code}): {_error(response)}")
        series = []
        for result in response.json().get("results", []):
            if "error" in result:
                raise ValidationFailed(f"InfluxDB refused the query: {result['error']}")
            series += result.get("series", [])
        return series

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, path, **kwargs)
        except httpx.HTTPError as err:
            raise TelemetryUnavailable(f"InfluxDB cannot be reached ({err.__class__.__name__})") from err


def _error(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))[:300]
    except ValueError:
        return response.text[:300]
