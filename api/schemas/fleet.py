"""Answers of the fleet views: dashboard2, current_enable_status, and one unit's connectivity."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, create_model

from api.schemas.envelope import Envelope
from api.tables.schemas import columns_model, table_schemas
from db.models.alert import Alert
from db.models.history import Network
from db.models.organisation import Entity
from db.models.product import ProductNote
from domain.fleet import dashboard, enable_status

DashboardUnit = create_model(
    "DashboardUnit",
    __base__=columns_model("DashboardFields", dashboard.DASHBOARD.readable, "dashboard2's scalar fields."),
    __doc__="One unit as dashboard2 shows it: its fields, entities, open alerts and notes.",
    entities=(list[table_schemas(Entity).row], ...),
    alerts=(list[table_schemas(Alert).row], ...),
    notes=(list[table_schemas(ProductNote).row], ...),
)


class DashboardPage(BaseModel):
    """The doc's dashboard2 answer: `num_results` counts every visible unit, `num_results_filtered` the `q`'s."""

    data: list[DashboardUnit]  # type: ignore[valid-type]
    num_results: int
    num_results_filtered: int
    page: int
    results_per_page: int


EnableStatus = columns_model(
    "EnableStatus", enable_status.COLUMNS, "A unit's enable status, latest state and entity, for an ERP."
)


class EnableStatusPage(BaseModel):
    data: list[EnableStatus]  # type: ignore[valid-type]
    message: str
    status: Literal["success"] = "success"
    num_results: int
    page: int | None = Field(description="`null` when the page was asked for by `after`")
    results_per_page: int
    next_after: str | None = Field(description="The `after` of the next page; `null` on the last one")


class ReliabilityRate(BaseModel):
    connectivity_reliability_rate: float = Field(ge=0, le=1)


class Networks(BaseModel):
    networks: list[table_schemas(Network).row]  # type: ignore[valid-type]


ReliabilityFound = Envelope[ReliabilityRate]
NetworksFound = Envelope[Networks]
