"""The `filters` of Flask-Restless 0.17's `q` language, compiled to SQLAlchemy conditions.

A filter is `{"name", "op", "val"}`, `{"name", "op", "field"}` (two columns of the row compared),
or `{"or": [...]}` / `{"and": [...]}` of filters. `relation__field` names a field of a related
row; with `has` / `any` a scalar `val` means equality on that field, and a dict `val` is a
filter on the related row. Beyond 0.17 (which errors on them): any other operator on
`relation__field` is applied to the related rows, and `is_null` / `is_not_null` on a relation ask
whether it has related rows. Related rows outside the user's scope never match.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, literal, or_, select, true
from sqlalchemy.orm import RelationshipProperty

from db.base import Base
from domain.errors import BadRequest
from domain.scope import UnitScope
from domain.tables.columns import is_opaque
from domain.tables.scope import row_visible
from domain.tables.values import InvalidValue, coerce, comparable, text_value
from domain.tables.views import LinkedRows, View, info_of

# Every spelling Flask-Restless 0.17 accepts (plus the doc's `equals_to`), to one canonical name.
OPERATOR_ALIASES: dict[str, str] = {
    # "=" is not 0.17's, but the doc's dashboard2 examples use it.
    **dict.fromkeys(("==", "=", "eq", "equals", "equal_to", "equals_to"), "eq"),
    **dict.fromkeys(("!=", "ne", "neq", "does_not_equal", "not_equal_to"), "ne"),
    **dict.fromkeys((">", "gt"), "gt"),
    **dict.fromkeys(("<", "lt"), "lt"),
    **dict.fromkeys((">=", "ge", "gte", "geq"), "ge"),
    **dict.fromkeys(("<=", "le", "lte", "leq"), "le"),
    **{name: name for name in ("in", "not_in", "is_null", "is_not_null", "like", "ilike", "has", "any")},
}
COMPARISONS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "lt": operator.lt,
    "ge": operator.ge,
    "le": operator.le,
}
MAX_DEPTH = 16  # nested or/and/has/any; a bound so no request can exhaust the stack


def query_error(message: str) -> BadRequest:
    return BadRequest(message, validation_errors={"q": message})


def _value(column, value: Any) -> Any:
    try:
        return coerce(column, value)
    except InvalidValue as exc:
        raise query_error(str(exc)) from None


Source = type[Base] | View


class FilterCompiler:
    """Compiles filter objects for one user's scope; `queryable` bounds the tables relations may reach.

    The source is a table's model or a `View` (computed fields are filtered on their SQL expression)."""

    def __init__(self, scope: UnitScope, queryable: frozenset[str]) -> None:
        self.scope = scope
        self.queryable = queryable

    def compile_all(self, model: Source, filters: Any) -> list[ColumnElement[bool]]:
        if not isinstance(filters, list):
            raise query_error("'filters' must be a list of filter objects")
        return [self.compile(model, node) for node in filters]

    def compile(self, model: Source, node: Any, depth: int = 0) -> ColumnElement[bool]:
        if depth > MAX_DEPTH:
            raise query_error(f"Filters are nested more than {MAX_DEPTH} deep")
        if not isinstance(node, dict):
            raise query_error(f"A filter must be an object, not {node!r}")
        for junction, combine, empty in (("or", or_, false), ("and", and_, true)):
            if junction in node:
                parts = node[junction]
                if not isinstance(parts, list):
                    raise query_error(f"'{junction}' must be a list of filter objects")
                return (
                    combine(*(self.compile(model, part, depth + 1) for part in parts)) if parts else empty()
                )
        name, op = node.get("name"), node.get("op")
        if not isinstance(name, str) or not name:
            raise query_error(f"Filter {node!r} has no field 'name'")
        if not isinstance(op, str) or op not in OPERATOR_ALIASES:
            raise query_error(f"Unknown operator {op!r} in filter on '{name}'")
        op = OPERATOR_ALIASES[op]
        info = info_of(model)
        relation, _, field = name.partition("__")
        if relation in info.linked:
            return self._on_linked(info.linked[relation], node, field or None, op, depth)
        if field:
            return self._on_related_field(model, node, name, op, depth)
        if name in info.relationships:
            return self._on_relation(model, node, name, op, depth)
        return self._on_column(model, node, name, op)

    def relationship(self, model: Source, name: str) -> RelationshipProperty:
        info = info_of(model)
        prop = info.relationships.get(name)
        if prop is None or prop.mapper.class_.__tablename__ not in self.queryable:
            raise query_error(f"Unknown relation '{name}' on {info.name}")
        return prop

    def linked_exists(self, linked: LinkedRows, criterion: ColumnElement[bool]) -> ColumnElement[bool]:
        """Whether the base row has a linked row (in the user's scope) matching `criterion`."""
        return exists(select(literal(1)).where(linked.visible(self.scope), criterion))

    def _on_linked(self, linked: LinkedRows, node, field: str | None, op, depth) -> ColumnElement[bool]:
        """A collection of a view: like a relation, and its bare name compares its default field."""
        target = linked.target
        if op in ("is_null", "is_not_null") and field is None:
            found = self.linked_exists(linked, true())
            return found if op == "is_not_null" else ~found
        field = field or linked.default_field
        if op == "has":
            raise query_error(f"'{node['name']}' is a collection: use 'any', not 'has'")
        if op == "any":
            value = node.get("val")
            if value is None:
                raise query_error(f"Filter on '{node['name']}' with op '{op}' needs a 'val'")
            sub = value if isinstance(value, dict) else {"name": field, "op": "eq", "val": value}
            return self.linked_exists(linked, self.compile(target, sub, depth + 1))
        return self.linked_exists(linked, self.compile(target, {**node, "name": field}, depth + 1))

    def related(
        self, prop: RelationshipProperty, op: str, criterion: ColumnElement[bool]
    ) -> ColumnElement[bool]:
        """`has` (one related row) or `any` (a collection) with `criterion`, in the user's scope."""
        criterion = and_(criterion, row_visible(prop.mapper.class_, self.scope))
        if op == "has" and prop.uselist:
            raise query_error(f"'{prop.key}' is a collection: use 'any', not 'has'")
        if op == "any" and not prop.uselist:
            raise query_error(f"'{prop.key}' is a single related row: use 'has', not 'any'")
        attribute = prop.class_attribute
        return attribute.any(criterion) if prop.uselist else attribute.has(criterion)

    def _on_related_field(self, model, node, name, op, depth) -> ColumnElement[bool]:
        relation, field = name.split("__", 1)
        prop = self.relationship(model, relation)
        target = prop.mapper.class_
        if op in ("has", "any"):
            if node.get("val") is None:
                raise query_error(f"Filter on '{name}' with op '{op}' needs a 'val'")
            value = node["val"]
            # A dict is a filter on the related row; a scalar is equality on the named field (0.17).
            sub = value if isinstance(value, dict) else {"name": field, "op": "eq", "val": value}
            return self.related(prop, op, self.compile(target, sub, depth + 1))
        criterion = self.compile(target, {**node, "name": field}, depth + 1)
        return self.related(prop, "any" if prop.uselist else "has", criterion)

    def _on_relation(self, model, node, name, op, depth) -> ColumnElement[bool]:
        prop = self.relationship(model, name)
        if op in ("is_null", "is_not_null"):
            linked = self.related(prop, "any" if prop.uselist else "has", true())
            return linked if op == "is_not_null" else ~linked
        if op not in ("has", "any"):
            raise query_error(f"'{name}' is a relation: use 'has' / 'any', or '{name}__<field>'")
        if not isinstance(node.get("val"), dict):
            raise query_error(f"Filter on relation '{name}' with op '{op}' needs a filter object as 'val'")
        return self.related(prop, op, self.compile(prop.mapper.class_, node["val"], depth + 1))

    def _on_column(self, model, node, name, op) -> ColumnElement[bool]:
        info = info_of(model)
        column = info.column(name)
        if column is None:
            raise query_error(f"Unknown field '{name}' on {info.name}")
        if op in ("has", "any"):
            raise query_error(f"'{op}' applies to relations; '{name}' is a field")
        if op == "is_null":
            return column.is_(None)
        if op == "is_not_null":
            return column.is_not(None)
        other_name = node.get("field", node.get("fieldname"))
        if other_name is not None:
            return self._against_column(model, column, op, other_name)
        if node.get("val") is None:
            raise query_error(
                f"Filter on '{name}' with op '{op}' needs a 'val' (compare with null using is_null / is_not_null)"
            )
        value = node["val"]
        if op in ("in", "not_in"):
            if not isinstance(value, list):
                raise query_error(f"Filter on '{name}' with op '{op}' needs a list as 'val'")
            values = [_value(column, item) for item in value]
            return column.in_(values) if op == "in" else column.not_in(values)
        if op in ("like", "ilike"):
            if is_opaque(column):
                _value(column, value)  # raises the clear message
            if isinstance(value, (dict, list, bool)):
                raise query_error(f"Filter on '{name}' with op '{op}' needs a text pattern as 'val'")
            try:
                pattern = text_value(value if isinstance(value, str) else str(value))
            except InvalidValue as exc:
                raise query_error(str(exc)) from None
            # Dates and numbers match as their text, e.g. created_at like '2016-07-%'.
            text = column if isinstance(column.type, String) else cast(column, String)
            return text.like(pattern) if op == "like" else text.ilike(pattern)
        return COMPARISONS[op](column, _value(column, value))

    def _against_column(self, model, column, op, other_name) -> ColumnElement[bool]:
        info = info_of(model)
        other = info.column(other_name) if isinstance(other_name, str) else None
        if other is None:
            raise query_error(f"Unknown field {other_name!r} on {info.name}")
        if op not in COMPARISONS and op not in ("like", "ilike"):
            raise query_error(f"Operator '{op}' cannot compare two fields")
        if not comparable(column, other):
            raise query_error(f"Fields '{column.key}' and '{other.key}' hold different kinds of values")
        if op in ("like", "ilike") and not isinstance(column.type, String):
            raise query_error(f"'{op}' compares text; '{column.key}' is not text")
        if op == "like":
            return column.like(other)
        if op == "ilike":
            return column.ilike(other)
        return COMPARISONS[op](column, other)
