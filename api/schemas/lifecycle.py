"""Answers of a unit's life after the factory: entities, locations, parts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, create_model

from api.schemas.envelope import Envelope
from api.tables.schemas import columns_model, table_schemas
from db.models.parts import Part, PartProductLinker, PartType

# The doc's part_type objects in the parts answer leave out the columns added since (parameter_types, ...).
PART_TYPE_KEYS = (
    "created_at", "created_by", "description", "erp_code", "modified_at", "name", "part_type_id",
    "serial_number_category",
)  # fmt: skip
PartTypeSummary = columns_model(
    "PartTypeSummary",
    (PartType.__table__.c[key] for key in PART_TYPE_KEYS),
    "A part type as the doc's parts answer shows it.",
)
FittedPart = create_model(
    "FittedPart",
    __base__=table_schemas(Part).row,
    __doc__="A part fitted to the unit, its link, its type and the types that may replace it.",
    part_product_linker=(table_schemas(PartProductLinker).row, ...),
    part_type=(PartTypeSummary, ...),
    replacement_part_types=(list[PartTypeSummary], ...),
)
# By imei: the names of the entities the unit is linked to now.
EntitiesOf = Envelope[dict[str, list[str]]]
PartsFound = Envelope[dict[str, FittedPart]]  # type: ignore[valid-type]


class Location(BaseModel):
    """A unit's newest connection that carried a position."""

    error_radius: int | None
    latitude: str | None
    longitude: str | None
    product_imei: str


class LocationsPage(BaseModel):
    status: Literal["success"] = "success"
    message: str
    data: list[Location]
    num_results: int
    page: int
    total_pages: int
