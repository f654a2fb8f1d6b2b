"""The units' own endpoints (HTTP Basic: imei / device_key): RC-POST, RC-GET and RM-POST.

RC-GET answers from the database at once; delivering a pending change is what settles it, so the
answer is also reported to the unit's DeviceWorkflow, which records `enabled`/`disabled` and counts the
payment commands and software update it offered. RC-POST stores what the unit reports (its acknowledged
commands, balance, final balance, software) and, when that settled something, tells the workflow too.
"""

from __future__ import annotations

import logging
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel

from api.deps import ClockDep, SessionDep, client_address
from api.schemas.envelope import Done, Envelope
from api.telemetry import TelemetryStoreDep
from api.temporal import client_for_app
from clients import device as device_workflows
from clients.temporal import WorkflowUnavailable
from contracts.device import UnitConnection
from core.settings import get_settings
from db.models.product import Product
from domain.attempts import failed_attempts
from domain.device.unit_protocol import (
    RcAnswer,
    RcReport,
    authenticate_unit,
    rc_get_answer,
    record_rc_post,
)
from domain.errors import Unauthorized
from domain.scope import unit_entity_id
from domain.telemetry.points import TelemetryWrite
from domain.telemetry.service import write_points, written_message

log = logging.getLogger(__name__)
router = APIRouter(tags=["units"])
basic = HTTPBasic(auto_error=False)


def get_unit(
    request: Request, session: SessionDep, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]
) -> Product:
    if credentials is None:
        raise Unauthorized("Units authenticate with HTTP Basic: imei and device key")
    with failed_attempts().limiting("device key", imei=credentials.username, address=client_address(request)):
        product = authenticate_unit(session, credentials.username, credentials.password)
    session.info["actor"] = f"unit:{product.product_imei}"
    return product


UnitDep = Annotated[Product, Depends(get_unit)]


class ConnectionRecorded(BaseModel):
    connection_id: int


@router.post("/rc_data", response_model=Envelope[ConnectionRecorded])
def rc_post(
    report: RcReport, unit: UnitDep, session: SessionDep, clock: ClockDep, request: Request
) -> Envelope[ConnectionRecorded]:
    outcome = record_rc_post(
        session, unit.product_imei, report, clock(), get_settings().software_max_update_attempts
    )
    connection_id = outcome.connection.connection_id
    if outcome.settled:  # a command acknowledged, a final balance, an update ended: the workflow reloads
        try:
            # Temporal only when needed: most reports settle nothing and must not depend on it.
            temporal = from_thread.run(client_for_app, request.app)
            device_workflows.hand_over(
                session, temporal, unit.product_imei, "unit report", expect_running=True
            )
        except WorkflowUnavailable as err:
            log.warning("RC-POST of %s not reported to its workflow: %s", unit.product_imei, err)
    data = ConnectionRecorded(connection_id=connection_id)
    return Envelope[ConnectionRecorded](message="Connection recorded", data=data)


@router.get("/rc_data", response_model=RcAnswer)
def rc_get(unit: UnitDep, session: SessionDep, clock: ClockDep, request: Request) -> RcAnswer:
    answer, waiting = rc_get_answer(session, unit)
    connection = UnitConnection(
        enable_flag=answer.enable_flag,
        tamper_flag=answer.tamper_flag,
        at=clock(),
        offered_payment_commands=[c.transaction_id for c in waiting.payment_commands],
        offered_software_id=waiting.software.product_software_linker_id if waiting.software else None,
    )
    is_pending = not waiting.empty
    entity_id = unit_entity_id(session, unit.product_imei) if is_pending else None
    session.commit()  # the unit's answer stands whatever Temporal does
    try:
        from_thread.run(_report, request.app, unit.product_imei, connection, is_pending, entity_id)
    except WorkflowUnavailable as err:
        # The unit still gets its answer; the database keeps what is pending, so the next RC-GET catches up.
        log.warning("RC-GET of %s not reported to its workflow: %s", unit.product_imei, err.message)
    return answer


async def _report(
    app, imei: str, connection: UnitConnection, is_pending: bool, entity_id: int | None
) -> None:
    client = await client_for_app(app)
    await device_workflows.report_connection(client, get_settings(), imei, connection, is_pending, entity_id)


@router.post("/rm_data", response_model=Done)
def rm_post(report: TelemetryWrite, unit: UnitDep, store: TelemetryStoreDep) -> Done:
    count = write_points(store, unit.product_imei, report)
    return Done(message=written_message(count))
