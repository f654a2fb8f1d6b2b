"""What the table API may read, filter and write on each model, worked out once per model.

The one place that says which columns are secret (`HIDDEN_COLUMNS`), which are set by the system
(meta columns, integer keys) and which a client must send.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Column, Integer, LargeBinary
from sqlalchemy.orm import RelationshipProperty
from sqlalchemy.types import JSON

from db.base import META_COLUMNS, Base

# Never read, filtered on, ordered by or returned by the table API, whoever asks.
HIDDEN_COLUMNS: dict[str, frozenset[str]] = {
    # The webhook signing key: the subscriber gets it once, from /channels/<name>/subscribe.
    "subscriber": frozenset({"key"}),
    # The unit's password for the device endpoints (HTTP Basic on rc_data / rm_data): write-only.
    "product": frozenset({"device_key"}),
    "user": frozenset({"password_hash"}),
    "api_token": frozenset({"token_hash"}),
}

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class TableInfo:
    """The shape of one table as the table API sees it."""

    model: type[Base]
    name: str
    pk: Column
    pk_key: str
    # Integer keys are handed out by the database; string keys (product_imei, channel name) by the client.
    pk_is_system: bool
    readable: tuple[Column, ...]
    writable: tuple[Column, ...]
    required: frozenset[str]
    unique: tuple[Column, ...]
    foreign_keys: dict[str, Column]  # column key -> the referenced column
    relationships: dict[str, RelationshipProperty]
    readable_by_key: dict[str, Column]

    def column(self, key: str) -> Column | None:
        """A readable column by name (hidden columns do not exist for the API)."""
        return self.readable_by_key.get(key)

    @property
    def linked(self) -> dict:
        """Collections reached other than by a relationship: none for a table (see domain/tables/views.py)."""
        return {}

    @property
    def from_clause(self):
        return self.model.__table__

    @property
    def ignored_on_write(self) -> frozenset[str]:
        """Keys a client may send but that the system sets: meta columns and system-assigned keys."""
        return frozenset(META_COLUMNS) | ({self.pk_key} if self.pk_is_system else frozenset())


def is_int(column: Column) -> bool:
    return isinstance(column.type, Integer)


def is_opaque(column: Column) -> bool:
    """JSON and binary values can be stored and returned but not compared."""
    return isinstance(column.type, (JSON, LargeBinary))


@cache
def table_info(model: type[Base]) -> TableInfo:
    table = model.__table__
    hidden = HIDDEN_COLUMNS.get(table.name, frozenset())
    pk = next(iter(table.primary_key.columns))
    pk_is_system = is_int(pk) and pk.autoincrement in (True, "auto")
    columns = tuple(table.columns)
    readable = tuple(c for c in columns if c.key not in hidden)
    writable = tuple(c for c in columns if c.key not in META_COLUMNS and not (c.primary_key and pk_is_system))
    required = frozenset(
        c.key for c in writable if not c.nullable and c.default is None and c.server_default is None
    )
    unique = tuple(c for c in columns if c.unique and not c.primary_key)
    foreign_keys = {c.key: next(iter(c.foreign_keys)).column for c in columns if c.foreign_keys}
    relationships = {rel.key: rel for rel in model.__mapper__.relationships}
    return TableInfo(
        model=model,
        name=table.name,
        pk=pk,
        pk_key=pk.key,
        pk_is_system=pk_is_system,
        readable=readable,
        writable=writable,
        required=required,
        unique=unique,
        foreign_keys=foreign_keys,
        relationships=relationships,
        readable_by_key={c.key: c for c in readable},
    )
