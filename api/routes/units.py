"""The units' own endpoints (HTTP Basic: imei / device_key): RC-POST, RC-GET and RM-POST.

RC-GET answers from the database at once; delivering a pending change is what settles it, so an RC-GET that
delivered something records it (`enabled`/`disabled`, the commands `sent`, the update's attempt) in its own
transaction and reports it to the unit's DeviceWorkflow, which reads what is left and ends when nothing is.
RC-POST stores what the unit reports (its acknowledged commands, balance, final balance, software) and, when
that settled something, tells the workflow too.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel
from sqlalchemy import Row
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.deps import ClockDep, client_address, get_session
from api.schemas.envelope import Done, Envelope
from api.temporal import client_for_app
from clients import device as device_workflows
from clients.temporal import WorkflowUnavailable
from contracts.device import UnitConnection
from core.settings import get_settings
from domain.attempts import failed_attempts
from domain.device.outstanding import Outstanding, owe_report, owed_report_delivered
from domain.device.unit_protocol import (
    RcAnswer,
    RcReport,
    authenticate_unit,
    connecting_unit,
    rc_get_answer,
    record_rc_get_delivery,
    record_rc_post,
)
from domain.errors import Unauthorized
from domain.telemetry.points import TelemetryWrite
from domain.telemetry.service import open_store, write_points, written_message

log = logging.getLogger(__name__)
router = APIRouter(tags=["units"])
basic = HTTPBasic(auto_error=False)


@contextmanager
def _device_login(session: Session, credentials: HTTPBasicCredentials | None, address: str):
    """The one way a unit logs in: HTTP Basic (imei, device key), the check inside the failed-attempt limiter,
    and the unit as the actor of what the request writes (a refused login raises before that)."""
    if credentials is None:
        raise Unauthorized("Units authenticate with HTTP Basic: imei and device key")
    with failed_attempts().limiting("device key", imei=credentials.username, address=address):
        yield credentials.username, credentials.password
    session.info["actor"] = f"unit:{credentials.username}"


async def unit_credentials(
    request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]
) -> HTTPBasicCredentials | None:
    """The unit's imei and key, checked by the route itself (with what waits for the unit, in one read).
    An imei or address over its failure limit is refused here, before the body is even read. (The limiter's
    default storage is in memory; a shared one is a short network call, accepted on the event loop.)"""
    if credentials is not None:
        failed_attempts().ensure_allowed(
            "device key", imei=credentials.username, address=client_address(request)
        )
    return credentials


BasicDep = Annotated[HTTPBasicCredentials | None, Depends(unit_credentials)]
request_session = contextmanager(get_session)  # the same unit of work as SessionDep: one commit


def _connecting_unit(
    session: Session, credentials: HTTPBasicCredentials | None, address: str, *, for_update: bool
) -> tuple[Row, Outstanding]:
    with _device_login(session, credentials, address) as (imei, device_key):
        unit = connecting_unit(session, imei, device_key, for_update=for_update)
    return unit


class ConnectionRecorded(BaseModel):
    connection_id: int


# RC-POST and RC-GET are async and do their database work in one thread hop (a sync route with sync
# dependencies hops once per dependency); with nothing outstanding that work is one SELECT.
@router.post("/rc_data", response_model=Envelope[ConnectionRecorded])
async def rc_post(report: RcReport, credentials: BasicDep, clock: ClockDep, request: Request) -> Response:
    connection_id = await run_in_threadpool(
        _rc_post, report, credentials, client_address(request), clock(), request.app
    )
    # Built and validated here, so FastAPI has nothing left to validate or encode.
    data = ConnectionRecorded(connection_id=connection_id)
    body = Envelope[ConnectionRecorded](message="Connection recorded", data=data)
    return Response(body.model_dump_json(), media_type="application/json")


def _rc_post(report: RcReport, credentials, address: str, now, app) -> int:
    with request_session() as session:
        unit = _connecting_unit(session, credentials, address, for_update=True)
        imei = unit[0].product_imei
        outcome = record_rc_post(
            session, imei, report, now, get_settings().software_max_update_attempts, unit=unit
        )
        if outcome.settled:  # a command acknowledged, a final balance, an update ended: the workflow reloads
            try:
                temporal = from_thread.run(client_for_app, app)
                device_workflows.hand_over(session, temporal, imei, "unit report", expect_running=True)
            except WorkflowUnavailable as err:
                owe_report(session, imei, now)  # committed with the request (hand_over committed the rest)
                log.warning("RC-POST of %s not reported to its workflow: %s", imei, err)
        return outcome.connection_id


@router.get("/rc_data", response_model=RcAnswer)
async def rc_get(credentials: BasicDep, clock: ClockDep, request: Request) -> Response:
    now = clock()
    answer, report = await run_in_threadpool(_rc_get, credentials, client_address(request), now)
    if report is not None:  # something was pending or owed: what was delivered settles it in the workflow
        await _report_rc_get(request, report, now)
    return Response(answer.model_dump_json(), media_type="application/json")


def _rc_get(credentials, address: str, now) -> tuple[RcAnswer, tuple | None]:
    """The answer, and what to report to the unit's workflow (None: nothing was pending or owed, Temporal
    is not called; a workflow still running for the unit's wake-up SMS learns of the connection from the
    database)."""
    with request_session() as session:
        # It writes nothing: in autocommit its one SELECT goes alone, without BEGIN and COMMIT round trips.
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        product, outstanding = _connecting_unit(session, credentials, address, for_update=False)
        answer, waiting = rc_get_answer(session, product, outstanding)
    if waiting.empty and not outstanding.owed_reports:
        return answer, None
    connection = UnitConnection(
        enable_flag=answer.enable_flag,
        tamper_flag=answer.tamper_flag,
        at=now,
        offered_payment_commands=[c.transaction_id for c in waiting.payment_commands],
        offered_software_id=waiting.software.product_software_linker_id if waiting.software else None,
    )
    if (
        not waiting.empty
    ):  # what it delivered settles now, in a transaction of its own (the read was autocommit)
        with request_session() as session:
            session.info["actor"] = f"unit:{product.product_imei}"
            record_rc_get_delivery(session, product.product_imei, answer, waiting, now)
        connection.recorded = True
    return answer, (product.product_imei, connection, not waiting.empty, outstanding)


async def _report_rc_get(request: Request, report: tuple, now) -> None:
    imei, connection, is_pending, outstanding = report
    try:
        client = await client_for_app(request.app)
        await device_workflows.report_connection(
            client, get_settings(), imei, connection, is_pending, outstanding.entity_id
        )
    except WorkflowUnavailable as err:
        # The unit still gets its answer; the database keeps what is pending, and that a report is owed,
        # so the next RC-GET (to any API process, also after a restart) catches up.
        log.warning("RC-GET of %s not reported to its workflow: %s", imei, err.message)
        await run_in_threadpool(_write_owed, owe_report, imei, now)
    else:
        if outstanding.owed_reports:  # only now that the report reached Temporal
            await run_in_threadpool(_write_owed, owed_report_delivered, imei, outstanding.owed_reports)


def _write_owed(write, imei: str, argument) -> None:
    try:
        with request_session() as session:
            session.info["actor"] = f"unit:{imei}"
            write(session, imei, argument)
    except SQLAlchemyError as err:  # the unit has its answer; a database outage must not take it away
        log.warning("RC-GET of %s: could not record its report to the workflow: %s", imei, err)


async def logged_in_unit(request: Request, credentials: BasicDep) -> str:
    """The unit's imei once its key is checked, in one hop and in autocommit: the connection is back before
    the route's own hop, since a connection held across hops could wait for a thread that a burst has
    given to requests waiting for a connection. A dependency, so a bad key is 401 before the body is read."""
    return await run_in_threadpool(_log_in_unit, credentials, client_address(request))


def _log_in_unit(credentials: HTTPBasicCredentials | None, address: str) -> str:
    with request_session() as session:
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        with _device_login(session, credentials, address) as (imei, device_key):
            return authenticate_unit(session, imei, device_key).product_imei


@router.post("/rm_data", response_model=Done)
async def rm_post(report: TelemetryWrite, imei: Annotated[str, Depends(logged_in_unit)]) -> Response:
    count = await run_in_threadpool(_rm_post, report, imei)
    body = Done(message=written_message(count))
    return Response(body.model_dump_json(), media_type="application/json")


def _rm_post(report: TelemetryWrite, imei: str) -> int:
    with request_session() as session:  # the write and its commit in this one hop
        session.info["actor"] = f"unit:{imei}"
        return write_points(open_store(get_settings(), session), imei, report)
