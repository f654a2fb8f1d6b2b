"""The one signal handler that keeps `EntityId` true when a unit changes entity (the keys and the builder
of their values are in `contracts.search`)."""

from __future__ import annotations

from temporalio import workflow

from contracts.search import ENTITY_ID


def set_entity_id(entity_id: int | None) -> None:
    """Inside a workflow: operators find this run under the unit's entity now (none: the key is unset)."""
    workflow.upsert_search_attributes(
        [ENTITY_ID.value_set(entity_id) if entity_id is not None else ENTITY_ID.value_unset()]
    )
