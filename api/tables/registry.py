"""Which tables have endpoints, at which paths, with which permission per method.

Read from `spec_tables.json`, a trimmed copy of the spec's tables.json (table, endpoint,
permissions) kept in the repo so the service runs without the spec beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from db.base import Base
from db.models import MODELS_BY_TABLE
from domain.permissions import Permission

SPEC_FILE = Path(__file__).with_name("spec_tables.json")
METHODS = ("GET", "POST", "PUT", "DELETE")
# Reachable through relationships in `q` although the doc gives them no endpoint of their own.
EXTRA_QUERYABLE_TABLES = frozenset({"product_entity_linker", "product_group"})
# Writes an action router serves instead of the generic row write, at the same path and level
# (api/routes/parameters.py: a parameter is asked for, then delivered to the unit).
ACTION_WRITES: dict[str, frozenset[str]] = {"parameter": frozenset({"POST", "PUT"})}


@dataclass(frozen=True)
class TableEndpoint:
    """One table served at one path. `permissions[method]` is None when the doc marks it not allowed."""

    table: str
    path: str  # e.g. "/action_types", relative to the /v1 router
    permissions: dict[str, Permission | None]

    @property
    def model(self) -> type[Base]:
        return MODELS_BY_TABLE[self.table]


@lru_cache
def table_endpoints() -> tuple[TableEndpoint, ...]:
    entries = json.loads(SPEC_FILE.read_text())
    endpoints = []
    for entry in entries:
        path = entry["endpoint"]
        if not path.startswith("/v1/"):
            raise ValueError(f"table endpoint outside /v1: {path}")
        permissions = {
            method: Permission[level] if (level := entry["permissions"].get(method)) else None
            for method in METHODS
        }
        endpoints.append(
            TableEndpoint(table=entry["table"], path=path.removeprefix("/v1"), permissions=permissions)
        )
    return tuple(endpoints)


@lru_cache
def queryable_tables() -> frozenset[str]:
    """Tables a `q` filter or order_by may reach through relationships: the served ones and a few
    harmless linkers. Never `user` or `api_token`."""
    return frozenset(endpoint.table for endpoint in table_endpoints()) | EXTRA_QUERYABLE_TABLES
