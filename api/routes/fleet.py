"""Fleet views: dashboard2 and current_enable_status (whole-fleet reads for operations tools and ERPs),
and the connectivity diagnosis of one unit (reliability rate, available networks)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.deps import ClockDep, FactoryUser, OverviewUser, ScopeDep, SessionDep
from api.schemas.fleet import (
    DashboardPage,
    EnableStatusPage,
    Networks,
    NetworksFound,
    ReliabilityFound,
    ReliabilityRate,
)
from api.schemas.times import InputDateTime
from api.tables.query import find, parse_q
from api.tables.router import LIST_PARAMETERS, page_params
from api.tables.serialize import serializer_for
from db.models.alert import Alert
from db.models.history import Network
from db.models.organisation import Entity
from db.models.product import ProductNote
from domain.fleet import dashboard, enable_status, networks, reliability
from domain.fleet.units import ensure_unit

# Bodies are JSON whatever their Content-Type says: scripts send the window of a GET without one.
router = APIRouter(tags=["fleet views"], strict_content_type=False)
Imei = Annotated[str, Path(min_length=1, max_length=15)]
# The window's ends as the doc writes them (its `yyyy-mm-dd HH:MM:SS`, or ISO 8601; a zone is converted).
WindowEnd = InputDateTime


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _flat(row) -> dict[str, Any]:
    return {key: _jsonable(value) for key, value in row._mapping.items()}


@router.get(
    "/dashboard2",
    summary="GET dashboard2 (OVERVIEW and above)",
    openapi_extra={"parameters": LIST_PARAMETERS},
    response_model=DashboardPage,
)
def dashboard2(request: Request, session: SessionDep, user: OverviewUser, scope: ScopeDep) -> JSONResponse:
    """One object per unit; the table API's `q` on every field (`entities` compares entity names)."""
    page, per_page = page_params(request)
    q = parse_q(request.query_params.get("q"))
    found = find(session, dashboard.DASHBOARD, scope, q, page=page, results_per_page=per_page)
    imeis = [row.product_imei for row in found.rows]
    linked = dashboard.PageCollections(session, scope, imeis)
    entity, alert, note = serializer_for(Entity), serializer_for(Alert), serializer_for(ProductNote)
    data = [
        {
            **_flat(row),
            "entities": [entity.from_object(e) for e in linked.entities.get(row.product_imei, [])],
            "alerts": [alert.from_object(a) for a in linked.alerts.get(row.product_imei, [])],
            "notes": [note.from_object(n) for n in linked.notes.get(row.product_imei, [])],
        }
        for row in found.rows
    ]
    return JSONResponse(
        {
            "data": data,
            "num_results": dashboard.visible_units(session, scope),
            "num_results_filtered": found.num_results,
            "page": page,
            "results_per_page": per_page,
        }
    )


@router.get(
    "/current_enable_status",
    summary="GET current_enable_status (FACTORY and above)",
    response_model=EnableStatusPage,
)
def current_enable_status(
    request: Request, session: SessionDep, user: FactoryUser, scope: ScopeDep
) -> JSONResponse:
    """Every unit's enable status for an ERP sync, in `product_imei` order. Follow `next_after` (keyset:
    nothing skipped or repeated while units are added or change) or walk `page` numbers."""
    page, per_page = page_params(request)
    after = request.query_params.get("after")
    found = enable_status.status_page(session, scope, results_per_page=per_page, page=page, after=after)
    return JSONResponse(
        {
            "data": [_flat(row) for row in found.rows],
            "message": "enable_histories retrieved",
            "status": "success",
            "num_results": found.num_results,
            "page": None if after is not None else page,
            "results_per_page": per_page,
            "next_after": found.next_after,
        }
    )


class Window(BaseModel):
    """`start` / `end` in a JSON body, as the doc's examples send them on a GET (the query wins)."""

    model_config = ConfigDict(extra="forbid")

    start: WindowEnd | None = None
    end: WindowEnd | None = None


@router.get(
    "/products/{imei}/connectivity_reliability_rate",
    summary="GET connectivity_reliability_rate (OVERVIEW and above)",
    response_model=ReliabilityFound,
)
def connectivity_reliability_rate(
    imei: Imei,
    session: SessionDep,
    user: OverviewUser,
    scope: ScopeDep,
    clock: ClockDep,
    body: Annotated[Window | None, Body()] = None,
    start: Annotated[WindowEnd | None, Query()] = None,
    end: Annotated[WindowEnd | None, Query()] = None,
) -> ReliabilityFound:
    """Connections made / expected (one per whole 4 hours) between `start` (default 7 days ago) and
    `end` (default now), capped at 1.00."""
    ensure_unit(session, scope, imei)
    body = body or Window()
    asked = reliability.window(
        start if start is not None else body.start, end if end is not None else body.end, clock()
    )
    return ReliabilityFound(
        message="Successfully computed product connectivity reliability rate",
        data=ReliabilityRate(
            connectivity_reliability_rate=reliability.reliability_rate(session, imei, asked)
        ),
    )


@router.get(
    "/products/{imei}/available_networks",
    summary="GET available_networks (OVERVIEW and above)",
    response_model=NetworksFound,
)
def available_networks(
    imei: Imei,
    session: SessionDep,
    user: OverviewUser,
    scope: ScopeDep,
    mcc: Annotated[str | None, Query(max_length=16)] = None,
) -> NetworksFound:
    """The networks the unit's SIM may use in the country `mcc` (SIM part type -> provider -> network)."""
    country = networks.parse_mcc(mcc)
    ensure_unit(session, scope, imei)
    found = networks.available_networks(session, imei, country)
    network = serializer_for(Network)
    return NetworksFound(
        message=f"{len(found)} network(s) available to product {imei} in mcc {country}",
        data=Networks(networks=[network.from_object(n) for n in found]),
    )
