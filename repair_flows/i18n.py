"""Translatable text in repair flows.

Flow definitions hold English msgids; they are translated where the text reaches a person (the API,
per request's Accept-Language). `N_` marks a string for `pybabel extract` without translating it,
so the workflow and the database only ever see the stable English msgid.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark `msgid` for extraction; translation happens later, in the caller's language."""
    return msgid


class Message(BaseModel):
    """A msgid and its `%(name)s` parameters: crosses Temporal and is translated by the API."""

    msgid: str
    params: dict[str, Any] = Field(default_factory=dict)

    def render(self) -> str:
        """The English text (what a log or an operator reads)."""
        return self.msgid % self.params if self.params else self.msgid


def msg(msgid: str, **params: Any) -> Message:
    return Message(msgid=msgid, params=params)
