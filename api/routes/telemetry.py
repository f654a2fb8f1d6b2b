"""Product data (the doc's "Product Data"): write and read a product's telemetry; tool logs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from api.deps import ClockDep, OverviewUser, ScopeDep, SessionDep, SystemUser, TechnicalUser
from api.telemetry import TelemetryStoreDep
from db.models.product import Product
from domain.errors import NotFound
from domain.scope import UnitScope
from domain.telemetry.points import TelemetryWrite
from domain.telemetry.query import parse_query
from domain.telemetry.service import read_points, write_points, written_message
from domain.telemetry.tool_logs import record_tool_log

router = APIRouter(tags=["telemetry"])

ERRORS = {
    400: {"description": "Bad request"},
    404: {"description": "No such product"},
    503: {"description": "Store down"},
}


def _visible_product(session, scope, imei: str) -> None:
    scope.ensure_visible(session, imei)
    if session.get(Product, imei) is None:
        raise NotFound(f"Product {imei} not found")


@router.post("/products/{imei}/data", responses=ERRORS)
def write_product_data(
    imei: str,
    body: TelemetryWrite,
    user: TechnicalUser,
    scope: ScopeDep,
    session: SessionDep,
    store: TelemetryStoreDep,
) -> dict:
    _visible_product(session, scope, imei)
    count = write_points(store, imei, body)
    return {"status": "success", "message": written_message(count), "data": None}


@router.get("/products/{imei}/data", responses=ERRORS)
def read_product_data(
    imei: str,
    user: OverviewUser,
    scope: ScopeDep,
    session: SessionDep,
    store: TelemetryStoreDep,
    clock: ClockDep,
    start: Annotated[str | None, Query(max_length=64)] = None,
    end: Annotated[str | None, Query(max_length=64)] = None,
    fields: Annotated[list[str], Query(max_length=256)] = [],  # noqa: B006 - FastAPI copies defaults
    measurement: Annotated[str | None, Query(max_length=64)] = None,
    limit: int | None = None,
    where: Annotated[str | None, Query(max_length=1000)] = None,
    tags: Annotated[str | None, Query(max_length=2000)] = None,
    ds_interval: Annotated[str | None, Query(max_length=16)] = None,
    ds_function: Annotated[str | None, Query(max_length=32)] = None,
) -> dict:
    _visible_product(session, scope, imei)
    query = parse_query(
        imei,
        clock(),
        start=start,
        end=end,
        fields=fields,
        measurement=measurement,
        limit=limit,
        where_text=where,
        tags=tags,
        ds_interval=ds_interval,
        ds_function=ds_function,
    )
    return {"status": "success", "message": "data retrieved successfully", "data": read_points(store, query)}


@router.post("/upload_tool_log", status_code=201, responses={400: {"description": "Bad request"}})
def upload_tool_log(body: Annotated[dict[str, Any], Body()], user: SystemUser, session: SessionDep) -> dict:
    record_tool_log(session, body, UnitScope.for_user(user))
    return {"status": "success", "message": "Log uploaded successfully", "data": None}
