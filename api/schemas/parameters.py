"""Answers of the parameter routes: a unit's parameter history."""

from __future__ import annotations

from pydantic import BaseModel, Field, create_model

from api.schemas.envelope import Envelope
from api.tables.schemas import table_schemas
from db.models.parts import PartParameter
from db.models.software import Parameter

ParameterRow = table_schemas(Parameter).row
PartParameterRow = table_schemas(PartParameter).row
ParameterInHistory = create_model(
    "ParameterInHistory",
    __base__=ParameterRow,
    __doc__="A `parameter` row, also under the key the doc's history shows.",
    product_parameter_id=(int, Field(description="The row's parameter_id")),
)


class ParameterHistory(BaseModel):
    """The unit's parameters and, by part_id, its parts': every row, or those active at the date asked."""

    part_parameters: dict[str, list[PartParameterRow]]  # type: ignore[valid-type]
    product_parameters: list[ParameterInHistory]  # type: ignore[valid-type]


HistoryFound = Envelope[ParameterHistory]
