"""Read views: one row per base row (a product) with computed fields, searched with the table API's
`q` language exactly like a table.

A `View` has the attributes of `TableInfo` that the `q` compiler reads (`name`, `model`, `pk`,
`readable`, `column`, `relationships`, `linked`, `from_clause`), so filters and `order_by` on a computed
field compile to SQL on its expression, in the same statement as the page: nothing is filtered in
Python. `linked` adds collections reached by a join that is not a mapped relationship (a unit's
current entities through `product_entity_linker`), filtered like a relation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import ColumnElement, FromClause, and_
from sqlalchemy.orm import RelationshipProperty

from db.base import Base
from domain.scope import UnitScope
from domain.tables.columns import table_info
from domain.tables.scope import row_visible


@dataclass(frozen=True)
class LinkedRows:
    """Rows of `target` linked to the view's base row by `link` (a condition correlated to the base
    table), reached `through` other tables (whose scope applies too). A filter naming the collection
    alone compares `default_field`: the doc's `{"name": "entities", "op": "eq", "val": "<name>"}`."""

    target: type[Base]
    default_field: str
    link: ColumnElement[bool]
    through: tuple[type[Base], ...] = ()

    def visible(self, scope: UnitScope) -> ColumnElement[bool]:
        """The link, limited to rows `scope` may see on every table it goes through."""
        return and_(self.link, *(row_visible(model, scope) for model in (self.target, *self.through)))


@dataclass(frozen=True)
class View:
    """A SELECT over `model` (joined as `from_clause`) whose `fields` a `q` may filter and order by;
    `readable` are the scalar fields a page selects, labelled with their names."""

    name: str
    model: type[Base]
    from_clause: FromClause
    fields: Mapping[str, ColumnElement]
    linked: Mapping[str, LinkedRows] = field(default_factory=dict)
    # Fields shown otherwise than they compare: capacity_limit is shown as stored (text), compared as a number.
    shown: Mapping[str, ColumnElement] = field(default_factory=dict)

    @cached_property
    def _labelled(self) -> dict[str, ColumnElement]:
        # Labelled, so messages name the field; in WHERE a label compiles to its expression.
        return {key: expression.label(key) for key, expression in self.fields.items()}

    def column(self, key: str) -> ColumnElement | None:
        return self._labelled.get(key)

    @cached_property
    def readable(self) -> tuple[ColumnElement, ...]:
        return tuple(
            self.shown[key].label(key) if key in self.shown else labelled
            for key, labelled in self._labelled.items()
        )

    @property
    def pk(self):
        return table_info(self.model).pk

    @property
    def relationships(self) -> dict[str, RelationshipProperty]:
        return table_info(self.model).relationships


def info_of(source: type[Base] | View):
    """What the `q` compiler reads about a table or a view."""
    return source if isinstance(source, View) else table_info(source)
