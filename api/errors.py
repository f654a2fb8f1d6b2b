"""The one place errors become HTTP: the doc's envelope for every failure, never a 500 for bad input."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import AppError, TooManyRequests

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Bad Request -- Please check your request for errors",
    401: "Unauthorized -- Your token is invalid or not present",
    403: "Forbidden -- Your user is not allowed to access this resource",
    404: "Not Found -- The specified resource could not be found",
    405: "Method Not Allowed -- The method is not allowed at this endpoint",
}


def envelope(
    status_code: int,
    message: str,
    *,
    status: str = "error",
    validation_errors: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "status": status,
        "message": message,
        "validation_errors": validation_errors or {},
        "data": data or {},
    }
    return JSONResponse(body, status_code=status_code, headers=headers)


# Pydantic names the member of a union that refused a value (`passed.bool`, `software.int`); the client
# sent one value, so the error is the field's.
UNION_MEMBER = re.compile(r"^(bool|int|float|str|bytes|none|constrained-[\w-]+|[\w-]+\[.*\])$")
UNION_MESSAGE = "Not one of the types this field takes (see the schema)"


def _location(loc: tuple[Any, ...]) -> tuple[str, bool]:
    """("body", "name") -> "name"; ("query", "page") -> "page": the client knows where it sent it.
    The second value says whether a union member's name was left out."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    kept = [p for p in parts if not UNION_MEMBER.match(p)]
    return ".".join(kept) or "body", len(kept) < len(parts)


async def app_error_handler(_request: Request, exc: AppError) -> JSONResponse:
    return envelope(
        exc.status_code,
        exc.message,
        status=exc.status,
        validation_errors=exc.validation_errors,
        data=exc.data,
        headers={"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None,
    )


async def request_validation_handler(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors: dict[str, str] = {}
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "JSON decode error")
            return envelope(
                400,
                f"The request body is not valid JSON ({reason})",
                status="validation-error",
                validation_errors={"body": "Not valid JSON"},
            )
        where, in_union = _location(tuple(err.get("loc", ())))
        errors.setdefault(where, UNION_MESSAGE if in_union else err.get("msg", "invalid"))
    return envelope(
        400,
        f"Validation error: check the fields listed ({', '.join(errors)})",
        status="validation-error",
        validation_errors=errors,
    )


async def http_exception_handler(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = (
        exc.detail
        if isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase
        else None
    )
    return envelope(
        exc.status_code,
        message or HTTP_MESSAGES.get(exc.status_code, HTTPStatus(exc.status_code).phrase),
        headers=getattr(exc, "headers", None),
    )


DATABASE_UNAVAILABLE = "The database could not be reached; try again in a moment"
# What an unreachable, restarting or overloaded database raises (refused or dropped connections, a full pool,
# a transaction PostgreSQL gave up on): the request changed nothing it kept, so repeating it is safe.
DATABASE_OUTAGES = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


async def database_outage_handler(request: Request, exc: Exception) -> JSONResponse:
    # One line per request, not a traceback: during an outage every request fails the same known way.
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
    log.warning("database unavailable (%s %s): %s", request.method, request.url.path, reason)
    return envelope(503, DATABASE_UNAVAILABLE, headers={"Retry-After": "5"})


async def unexpected_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return envelope(500, "Internal Server Error -- We had a problem with our server")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    for outage in DATABASE_OUTAGES:
        app.add_exception_handler(outage, database_outage_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
