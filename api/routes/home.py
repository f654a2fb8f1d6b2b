"""`/v1/home`: a liveness check that needs no token."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.deps import ClockDep

router = APIRouter(tags=["custom"])


async def home(clock: ClockDep) -> str:  # async: no I/O, so no thread hop
    return f"Welcome to the SMARTSolar API: {clock().isoformat()}"


# GET and POST both answer (the doc); two operations so OpenAPI ids stay unique.
router.add_api_route(
    "/home", home, methods=["GET"], response_class=PlainTextResponse, operation_id="home_get"
)
router.add_api_route(
    "/home", home, methods=["POST"], response_class=PlainTextResponse, operation_id="home_post"
)
