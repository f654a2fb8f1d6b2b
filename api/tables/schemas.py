"""Pydantic models generated per table: request bodies (validated by FastAPI, so a wrong type,
an unknown field or a value outside an enum's options is a per-field 400) and response shapes
(for /docs only: responses are serialized straight from the rows, see serialize.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Base64Bytes, BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Float, Integer, LargeBinary, String
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import JSON

from api.input_types import JsonBool, JsonDate, JsonDateTime, JsonFloat, JsonInt
from api.schemas.times import UtcDateTime
from db.base import Base
from domain.tables.columns import INT32_MAX, INT32_MIN, table_info
from domain.tables.values import text_value

Text = Annotated[str, AfterValidator(text_value)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class TableSchemas:
    row: type[BaseModel]
    create: type[BaseModel]
    update: type[BaseModel]
    page: type[BaseModel]

    def row_json_schema(self) -> dict[str, Any]:
        return self.row.model_json_schema()

    def page_json_schema(self) -> dict[str, Any]:
        # Inlined (no $ref to components), see the router: response models are documented, not validated.
        schema = self.page.model_json_schema()
        schema.pop("$defs", None)
        schema["properties"]["objects"]["items"] = self.row_json_schema()
        return schema


def _request_type(column: Column) -> Any:
    kind = column.type
    if isinstance(kind, Enum):
        return Literal[tuple(kind.enums)]
    if isinstance(kind, Boolean):
        return JsonBool
    if isinstance(kind, Integer):
        return Annotated[JsonInt, Field(ge=INT32_MIN, le=INT32_MAX)]
    if isinstance(kind, Float):
        return JsonFloat
    if isinstance(kind, DateTime):
        return JsonDateTime
    if isinstance(kind, Date):
        return JsonDate
    if isinstance(kind, LargeBinary):
        return Base64Bytes
    if isinstance(kind, JSON):
        return Any
    if isinstance(kind, String):
        return Annotated[Text, Field(max_length=kind.length)] if kind.length else Text
    return Any


def _response_type(column: Column | ColumnElement) -> Any:
    kind = column.type
    if isinstance(kind, LargeBinary):
        return str  # base64
    if isinstance(kind, DateTime):
        return UtcDateTime  # naive UTC text, as the doc writes times
    if isinstance(kind, String):
        return str  # answers are what is stored, not checked against the write rules
    return _request_type(column)


def columns_model(name: str, columns: Iterable[ColumnElement], doc: str) -> type[BaseModel]:
    """The answer shape of a SELECT's labelled columns (fleet views): each typed by its SQL type, and
    nullable unless it is a non-null table column (a computed value may be missing)."""
    fields = {}
    for column in columns:
        kind = _response_type(column)
        nullable = getattr(getattr(column, "element", column), "nullable", True)  # a label's column
        fields[column.key] = (kind if nullable is False else kind | None, ...)
    return create_model(name, __doc__=doc, **fields)


def _camel(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))


def _described(column: Column, annotation: Any, default: Any) -> tuple[Any, Any]:
    return annotation, Field(default, description=column.comment or None)


@cache
def table_schemas(model: type[Base]) -> TableSchemas:
    info = table_info(model)
    name = _camel(info.name)
    row_fields = {
        column.key: _described(
            column, _response_type(column) | None if column.nullable else _response_type(column), ...
        )
        for column in info.readable
    }
    row = create_model(f"{name}Row", __doc__=model.__doc__, **row_fields)

    # Keys the system sets are accepted (and ignored) but not advertised.
    ignored = {key: (SkipJsonSchema[Any], None) for key in info.ignored_on_write}
    create_fields: dict[str, Any] = dict(ignored)
    update_fields: dict[str, Any] = dict(ignored)
    for column in info.writable:
        annotation = _request_type(column)
        annotation = annotation | None if column.nullable else annotation
        create_default = ... if column.key in info.required else None
        create_fields[column.key] = _described(column, annotation, create_default)
        if column.key != info.pk_key:
            update_fields[column.key] = _described(column, annotation, None)
    if info.pk_key not in update_fields:
        update_fields[info.pk_key] = (SkipJsonSchema[Any], None)
    create = create_model(f"{name}Create", __base__=_Body, __doc__=f"A new {info.name}.", **create_fields)
    update = create_model(
        f"{name}Update", __base__=_Body, __doc__=f"The {info.name} columns to change.", **update_fields
    )
    page = create_model(
        f"{name}Page",
        __doc__=f"One page of {info.name} rows.",
        total_pages=(int, ...),
        objects=(list[row], ...),
        num_results=(int, ...),
        page=(int, ...),
    )
    return TableSchemas(row=row, create=create, update=update, page=page)
