"""Declarative base: every table carries the doc's meta columns, set by the system."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from core.clock import utcnow

# Stable constraint names, so Alembic can alter them on PostgreSQL and in SQLite batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

META_COLUMNS = ("created_at", "created_by", "modified_at", "modified_by")


class MetaColumns:
    """`created_at/by`, `modified_at/by`: never taken from the client (see `stamp_meta_columns`)."""

    created_at: Mapped[datetime | None] = mapped_column(DateTime, sort_order=1000)
    created_by: Mapped[str | None] = mapped_column(Text, sort_order=1001)
    modified_at: Mapped[datetime | None] = mapped_column(DateTime, sort_order=1002)
    modified_by: Mapped[str | None] = mapped_column(Text, sort_order=1003)


class Base(MetaColumns, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def primary_key_name(model: type[Base]) -> str:
    return model.__mapper__.primary_key[0].key


@event.listens_for(Session, "before_flush")
def stamp_meta_columns(session: Session, _flush_context, _instances) -> None:
    """Set the meta columns from `session.info["actor"]` (the username acting) for every write.

    One hook for the API, the activities and the CLI, so no code path can forget it. A transaction that
    writes for several actors at once (a batch of RTC units' reports) gives `session.info["actor_of"]`,
    which names each row's actor.
    """
    actor = session.info.get("actor")
    actor_of = session.info.get("actor_of")
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, MetaColumns):
            obj.created_at = now
            obj.created_by = actor_of(obj) if actor_of else actor
            obj.modified_at = None
            obj.modified_by = None
    for obj in session.dirty:
        if isinstance(obj, MetaColumns) and session.is_modified(obj, include_collections=False):
            obj.modified_at = now
            obj.modified_by = actor_of(obj) if actor_of else actor
