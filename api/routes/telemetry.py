"""Product data (the doc's "Product Data"): write and read a product's telemetry; tool logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from api.deps import (
    ClockDep,
    OverviewUser,
    ScopeDep,
    SessionDep,
    SystemUser,
    TechnicalUser,
    autocommit_in_thread,
)
from api.schemas.envelope import Done
from api.schemas.telemetry import PointsFound, ToolLog
from api.telemetry import TelemetryStoreDep
from db.models.product import Product
from domain.errors import NotFound
from domain.scope import UnitScope
from domain.telemetry.points import TelemetryWrite
from domain.telemetry.query import parse_query
from domain.telemetry.service import read_points, write_points, written_message
from domain.telemetry.tool_logs import record_tool_log

router = APIRouter(tags=["telemetry"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]


def _visible_product(session, scope: UnitScope, imei: str) -> None:
    """404 for a product that does not exist or is another entity's (the same answer, one SELECT)."""
    visible = select(Product.product_imei).where(
        Product.product_imei == imei, scope.imei_visible(Product.product_imei)
    )
    if session.scalar(visible) is None:
        raise NotFound(f"Product {imei} not found")


@router.post("/products/{imei}/data", response_model=Done)
def write_product_data(
    imei: Imei,
    body: TelemetryWrite,
    user: TechnicalUser,
    scope: ScopeDep,
    session: SessionDep,
    store: TelemetryStoreDep,
) -> Done:
    if not store.in_session:
        # Nothing of the request goes through the session: in autocommit its SELECT goes alone, without
        # BEGIN and COMMIT round trips.
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    _visible_product(session, scope, imei)
    count = write_points(store, imei, body)
    return Done(message=written_message(count))


@router.get("/products/{imei}/data", response_model=PointsFound)
async def read_product_data(
    imei: Imei,
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
) -> Response:
    # One thread hop for the product check, the store's read and the answer's rendering, in autocommit,
    # with the connection handed back in the same hop: a plain `def` route took one hop for itself and
    # the session's end another (profiled: each hop's hand-off between threads costs about as much as a
    # statement on a loaded machine).
    now = clock()

    def answer(session) -> Response:
        _visible_product(session, scope, imei)  # first: another entity's product is a 404
        query = parse_query(
            imei,
            now,
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
        # Sent as read (a long series is not re-validated point by point); PointsFound documents it.
        data = read_points(store, query)
        return JSONResponse({"status": "success", "message": "data retrieved successfully", "data": data})

    return await autocommit_in_thread(session, answer)


@router.post("/upload_tool_log", status_code=201, response_model=Done)
def upload_tool_log(body: ToolLog, user: SystemUser, session: SessionDep) -> Done:
    record_tool_log(session, body.model_dump(exclude_unset=True), UnitScope.for_user(user))
    return Done(message="Log uploaded successfully")
