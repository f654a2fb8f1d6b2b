"""A collection GET: the `q` of Flask-Restless 0.17 (filters, order_by, group_by, limit, offset,
single) run in the user's scope, and the page `{"total_pages", "objects", "num_results", "page"}`.

As in 0.17, `limit` / `offset` cut the result first and pages are taken within that cut;
`num_results` counts the cut. Without an order_by the rows come by primary key; the primary key
also breaks ties after any order_by so pages never overlap.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, Row, cast, func, select
from sqlalchemy.exc import DataError, ProgrammingError
from sqlalchemy.orm import Session

from api.tables.filters import FilterCompiler, Source, query_error
from api.tables.registry import queryable_tables
from api.tables.serialize import serializer_for
from db.base import Base
from domain.errors import BadRequest, NotFound
from domain.scope import UnitScope
from domain.tables.columns import is_opaque
from domain.tables.scope import row_visible
from domain.tables.views import info_of

log = logging.getLogger(__name__)

Q_KEYS = frozenset({"filters", "order_by", "group_by", "limit", "offset", "single"})


def parse_q(raw: str | None) -> dict[str, Any]:
    """The `q` parameter as a dict; 400 for anything that is not a JSON object of the known keys."""
    if raw is None or not raw.strip():
        return {}
    try:
        q = json.loads(raw)
    except (ValueError, RecursionError):
        raise query_error("Unable to decode data: q must be a JSON object") from None
    if not isinstance(q, dict):
        raise query_error("Unable to decode data: q must be a JSON object")
    unknown = sorted(set(q) - Q_KEYS)
    if unknown:
        # 0.17 ignored them; a typo such as "filter" would then silently return every row.
        raise query_error(f"Unknown key(s) in q: {', '.join(unknown)} (known: {', '.join(sorted(Q_KEYS))})")
    return q


@dataclass(frozen=True)
class Found:
    """What a `q` found: the rows of one page (or the `single` row) and how many rows the cut holds."""

    rows: list[Row]
    num_results: int
    single: bool


def find(
    session: Session,
    source: Source,
    scope: UnitScope,
    q: dict[str, Any],
    *,
    page: int,
    results_per_page: int,
) -> Found:
    """Run `q` on a table or a view for `scope`: one page of rows (their readable columns, in order)."""
    info = info_of(source)
    compiler = FilterCompiler(scope, queryable_tables())
    conditions = [row_visible(info.model, scope), *compiler.compile_all(source, _list(q, "filters"))]
    group_by = _list(q, "group_by")
    if group_by:
        keys = [field_value(compiler, source, _field_name(item, "group_by")) for item in group_by]
        # One row per group, the one with the lowest key (PostgreSQL will not return bare columns
        # of a grouped query as SQLite did for 0.17, so the groups pick their representative).
        representatives = (
            select(func.min(info.pk))
            .select_from(info.from_clause)
            .where(*conditions)
            .group_by(*keys)
            .correlate(None)
        )
        conditions.append(info.pk.in_(representatives))
    order = [*_order_by(compiler, source, _list(q, "order_by")), info.pk.asc()]
    limit, offset = _count_arg(q, "limit"), _count_arg(q, "offset")
    rows = select(*info.readable).select_from(info.from_clause).where(*conditions).order_by(*order)
    try:
        if q.get("single"):
            found = session.execute(rows.offset(offset).limit(min(limit or 2, 2))).all()
            if not found:
                raise NotFound("No result found")
            if len(found) > 1:
                raise BadRequest("Multiple results found")
            return Found(found, 1, single=True)
        total = session.scalar(select(func.count()).select_from(info.from_clause).where(*conditions))
        num_results = max(0, total - offset)
        if limit:
            num_results = min(num_results, limit)
        start = (page - 1) * results_per_page
        size = max(0, min(results_per_page, num_results - start))
        page_rows = list(session.execute(rows.offset(offset + start).limit(size))) if size else []
    except (ProgrammingError, DataError) as exc:
        # Input the checks above let through but the database refuses: a 400, never a 500.
        log.info("query refused by the database: %s", exc)
        raise query_error("Unable to construct query") from exc
    return Found(page_rows, num_results, single=False)


def search(
    session: Session,
    model: type[Base],
    scope: UnitScope,
    q: dict[str, Any],
    *,
    page: int,
    results_per_page: int,
) -> dict[str, Any]:
    """Run `q` on `model` for `scope`: the bare object when `single`, else one page."""
    found = find(session, model, scope, q, page=page, results_per_page=results_per_page)
    serialize = serializer_for(model)
    if found.single:
        return serialize(found.rows[0])
    return {
        "total_pages": math.ceil(found.num_results / results_per_page),
        "objects": [serialize(row) for row in found.rows],
        "num_results": found.num_results,
        "page": page,
    }


def _list(q: dict[str, Any], key: str) -> list[Any]:
    value = q.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise query_error(f"'{key}' must be a list")
    return value


def _field_name(item: Any, key: str) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("field"), str):
        raise query_error(f"Each item of '{key}' must be an object with a 'field'")
    return item["field"]


def _order_by(compiler: FilterCompiler, source: Source, items: list[Any]) -> list[ColumnElement]:
    clauses = []
    for item in items:
        name = _field_name(item, "order_by")
        direction = item.get("direction", "asc")
        if direction not in ("asc", "desc"):
            raise query_error(f"order_by direction must be 'asc' or 'desc', not {direction!r}")
        expression = field_value(compiler, source, name, descending=direction == "desc")
        clauses.append(expression.desc() if direction == "desc" else expression.asc())
    return clauses


def field_value(
    compiler: FilterCompiler, source: Source, name: str, *, descending: bool = False, depth: int = 0
) -> ColumnElement:
    """A column (or a view's computed field), or for `relation__field` the related value as a correlated
    subquery (the smallest, or for a descending order the largest, of a collection), so related rows
    never repeat a row."""
    info = info_of(source)
    relation, _, rest = name.partition("__")
    linked = info.linked.get(relation)
    if linked is not None:
        value = _comparable(
            field_value(compiler, linked.target, rest or linked.default_field, depth=depth + 1)
        )
        aggregate = (func.max if descending else func.min)(value)
        return select(aggregate).where(linked.visible(compiler.scope)).scalar_subquery()
    if not rest or depth > 8:
        column = info.column(name)
        if column is None:
            raise query_error(f"Unknown field '{name}' on {info.name}")
        if is_opaque(column):
            raise query_error(f"Field '{name}' holds JSON or binary data and cannot be ordered or grouped by")
        return column
    prop = compiler.relationship(source, relation)
    target = prop.mapper.class_
    value = field_value(compiler, target, rest, descending=descending, depth=depth + 1)
    if prop.uselist:
        value = (func.max if descending else func.min)(_comparable(value))
    return select(value).where(prop.primaryjoin, row_visible(target, compiler.scope)).scalar_subquery()


def _comparable(value: ColumnElement) -> ColumnElement:
    """PostgreSQL has no min/max of booleans; as integers they order the same way."""
    return cast(value, Integer) if isinstance(value.type, Boolean) else value


def _count_arg(q: dict[str, Any], key: str) -> int:
    """`limit` / `offset`: a non-negative integer; absent or 0 means none, as in 0.17."""
    value = q.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise query_error(f"'{key}' must be a non-negative integer")
    return value
