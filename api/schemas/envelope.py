"""The doc's action envelope, `{"status": "success", "message": ..., "data": ...}`, typed by its data."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, model_serializer

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """A success answer; `data` is what the route says it is (`Envelope[Thing]`)."""

    status: Literal["success"] = "success"
    message: str
    data: T


class Done(Envelope[None]):
    """A success answer with nothing to show: `data` is `null`."""

    data: None = None


class Empty(BaseModel):
    """The doc's `data: {}`."""

    model_config = ConfigDict(extra="forbid")


class Acknowledged(Envelope[Empty]):
    """A success answer whose `data` is the doc's empty object."""

    data: Empty = Empty()


class Page(BaseModel, Generic[T]):
    """The doc's collection shape (the table API's too): `objects` and page counts."""

    total_pages: int
    objects: list[T]
    num_results: int
    page: int


class Notice(BaseModel):
    """A success answer that is only a message (no `data` key), as the doc's example shows it."""

    status: Literal["success"] = "success"
    message: str


class Sparse(BaseModel):
    """An object whose optional keys appear only when they apply: a field left at its default is not shown."""

    @model_serializer(mode="wrap")
    def _present_only(self, handler):
        shown = handler(self)
        fields = type(self).model_fields
        return {
            key: value
            for key, value in shown.items()
            if key in self.model_fields_set or key not in fields or fields[key].is_required()
        }
