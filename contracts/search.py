"""The search attributes every workflow of a unit carries, and the one builder of their values.

No personal data in any of them: an operator finds a unit's workflows by IMEI, entity and repair id.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

PRODUCT_IMEI = SearchAttributeKey.for_keyword("ProductImei")
REPAIR_ID = SearchAttributeKey.for_int("RepairId")
ENTITY_ID = SearchAttributeKey.for_int("EntityId")
KEYS = (PRODUCT_IMEI, REPAIR_ID, ENTITY_ID)
# For `temporal server start-dev --search-attribute Name=Type`.
SEARCH_ATTRIBUTES = {"ProductImei": "Keyword", "RepairId": "Int", "EntityId": "Int"}


def search_attributes(
    *, imei: str | None = None, entity_id: int | None = None, repair_id: int | None = None
) -> TypedSearchAttributes:
    """The attributes of a workflow about this unit (and repair); what is unknown is left out."""
    pairs: list[SearchAttributePair] = []
    if repair_id is not None:
        pairs.append(SearchAttributePair(REPAIR_ID, repair_id))
    if imei:
        pairs.append(SearchAttributePair(PRODUCT_IMEI, imei))
    if entity_id is not None:
        pairs.append(SearchAttributePair(ENTITY_ID, entity_id))
    return TypedSearchAttributes(pairs)
