"""The search attributes every workflow may carry (no personal data in any of them), and the one signal
handler that keeps `EntityId` true when a unit changes entity."""

from __future__ import annotations

from temporalio import workflow
from temporalio.common import SearchAttributeKey

PRODUCT_IMEI = SearchAttributeKey.for_keyword("ProductImei")
REPAIR_ID = SearchAttributeKey.for_int("RepairId")
ENTITY_ID = SearchAttributeKey.for_int("EntityId")


def set_entity_id(entity_id: int | None) -> None:
    """Inside a workflow: operators find this run under the unit's entity now (none: the key is unset)."""
    workflow.upsert_search_attributes(
        [ENTITY_ID.value_set(entity_id) if entity_id is not None else ENTITY_ID.value_unset()]
    )
