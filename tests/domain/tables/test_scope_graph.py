"""ENTITY scope across the whole relationship graph, generated from the models.

Entity B owns one row of every table (every foreign key filled, so every relation of every row
leads somewhere); entity A owns nothing but its own entity row. For every table and every relation
path of up to two hops a `q` can take (`relation__field` chained, nested `has` / `any`, a scalar `val`
on `relation__field`, `is_not_null` on a relation, `order_by` on a related value), A must see no row
and no count through a path that touches an entity-owned table, while a GLOBAL user must find B's
rows through every path (so each check can fail) and A must find reference rows through paths that
stay within reference data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from api.tables.filters import FilterCompiler
from api.tables.query import field_value, search
from api.tables.registry import queryable_tables
from db.base import Base
from db.models import MODELS_BY_TABLE
from domain.scope import UnitScope
from domain.tables.columns import table_info
from domain.tables.scope import is_scoped
from tests.api.tables.rows import _plain_value
from tests.utils.factories import make_entity

MAX_HOPS = 2
Path = tuple[tuple[type[Base], str], ...]  # (model, relation name) per hop


def fill_every_table(session: Session) -> dict[str, Base]:
    """One row per table, every foreign key pointing at the one row of its target table."""
    rows: dict[str, Base] = {}
    later: list[tuple[Base, str, Any]] = []
    for n, table in enumerate(Base.metadata.sorted_tables, start=1000):
        model = MODELS_BY_TABLE[table.name]
        info = table_info(model)
        values: dict[str, Any] = {}
        for column in info.writable:
            target = info.foreign_keys.get(column.key)
            if target is None:
                if column.key in info.required:
                    values[column.key] = _plain_value(column, n)
            elif target.table.name in rows:
                values[column.key] = getattr(rows[target.table.name], target.key)
            elif column.nullable:
                later.append((model, column.key, target))
            else:
                raise AssertionError(f"{table.name}.{column.key} needs {target.table.name} first")
        if "product_imei" in table.c and "product_imei" not in values and "product" in rows:
            values["product_imei"] = rows["product"].product_imei
        row = model(**values)
        session.add(row)
        session.flush()
        rows[table.name] = row
    for model, key, target in later:  # foreign keys into tables that come later in the order
        value = getattr(rows[target.table.name], target.key)
        session.execute(update(model.__table__).values({key: value}))
    session.commit()
    return rows


def relation_paths() -> Iterator[Path]:
    queryable = queryable_tables()

    def walk(model: type[Base], path: Path) -> Iterator[Path]:
        for name, prop in table_info(model).relationships.items():
            target = prop.mapper.class_
            if target.__tablename__ not in queryable:
                continue
            extended = (*path, (model, name))
            yield extended
            if len(extended) < MAX_HOPS:
                yield from walk(target, extended)

    for table in sorted(queryable):
        yield from walk(MODELS_BY_TABLE[table], ())


def _target(path: Path) -> type[Base]:
    model, name = path[-1]
    return table_info(model).relationships[name].mapper.class_


def _op(model: type[Base], name: str) -> str:
    return "any" if table_info(model).relationships[name].uselist else "has"


def _nest(path: Path, innermost: dict[str, Any]) -> dict[str, Any]:
    """`innermost` (a filter on the last hop's model) wrapped in has / any for each earlier hop."""
    node = innermost
    for model, name in reversed(path):
        node = {"name": name, "op": _op(model, name), "val": node}
    return node


def path_filters(path: Path, key: str, value: Any) -> list[dict[str, Any]]:
    """The ways a filter can follow `path` to the row whose `key` is `value`: every spelling on one
    hop; on two hops (which only compose hops already checked one by one) a chained name and nesting."""
    names = [name for _, name in path]
    last_model, last = path[-1]
    chained = {"name": "__".join([*names, key]), "op": "eq", "val": value}
    nested = _nest(path, {"name": key, "op": "is_not_null"})
    if len(path) > 1:
        return [chained, nested]
    return [
        chained,
        nested,
        {"name": "__".join([*names, key]), "op": "is_not_null"},
        {"name": f"{last}__{key}", "op": _op(last_model, last), "val": value},
        {"name": last, "op": "is_not_null"},
    ]


def reaches_owned_rows(path: Path) -> bool:
    """Whether a hop of `path` lands on an entity-owned table (the base row is filtered on its own)."""
    return any(is_scoped(table_info(model).relationships[name].mapper.class_) for model, name in path)


@pytest.fixture
def graph(db: Session) -> dict[str, Any]:
    rows = fill_every_table(db)
    ours = make_entity(db, "Entity A")
    db.commit()
    return {"rows": rows, "ours": UnitScope(entity_id=ours.entity_id), "global": UnitScope(entity_id=None)}


def test_no_relation_path_reaches_another_entitys_rows(db: Session, graph) -> None:
    rows, ours, everyone = graph["rows"], graph["ours"], graph["global"]
    compilers = {scope: FilterCompiler(scope, queryable_tables()) for scope in (ours, everyone)}
    paths = list(relation_paths())
    assert len(paths) > 500  # the graph really was walked
    leaks: list[str] = []
    for path in paths:
        base, target = path[0][0], _target(path)
        key, base_key = table_info(target).pk_key, table_info(base).pk
        filters = path_filters(path, key, getattr(rows[target.__tablename__], key))
        dotted = ".".join(name for _, name in path)
        seen = search(db, base, ours, {"filters": [{"or": filters}]}, page=1, results_per_page=10)
        expected = 0 if is_scoped(base) or reaches_owned_rows(path) else 1
        if seen["num_results"] != expected or len(seen["objects"]) != expected:
            leaks.append(f"filter {base.__tablename__}.{dotted}: {seen['num_results']} rows")
        # In one statement for speed: the GLOBAL user finds B's row through every filter (so the check
        # above can fail), and order_by / group_by rank by the related value, which for A must be
        # absent when a hop lands on an owned table and present otherwise.
        order_name = "__".join([*(name for _, name in path), key])
        reached, ranked_global, ranked_ours = db.execute(
            select(
                and_(*compilers[everyone].compile_all(base, filters)),
                field_value(compilers[everyone], base, order_name),
                field_value(compilers[ours], base, order_name),
            ).where(base_key == getattr(rows[base.__tablename__], base_key.key))
        ).one()
        assert reached, f"the data does not reach {base.__tablename__}.{dotted}"
        if ranked_global is None or (ranked_ours is not None) == reaches_owned_rows(path):
            leaks.append(f"order_by {base.__tablename__}.{order_name}: {ranked_global}, {ranked_ours}")
    assert not leaks, "\n".join(leaks)


def test_every_served_table_has_a_rule(db: Session, graph) -> None:
    """Counted straight from the table: A sees no owned row of B, and every reference row."""
    rows, ours = graph["rows"], graph["ours"]
    for table in sorted(queryable_tables()):
        model = MODELS_BY_TABLE[table]
        page = search(db, model, ours, {}, page=1, results_per_page=10)
        if table == "entity":
            assert [obj["name"] for obj in page["objects"]] == ["Entity A"]
        elif is_scoped(model):
            assert page["num_results"] == 0, table
        else:
            assert page["num_results"] == 1, table
        assert rows[table] is not None
