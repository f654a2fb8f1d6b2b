"""`/v1/home`: a liveness check that needs no token."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.deps import ClockDep

router = APIRouter(tags=["custom"])


@router.api_route("/home", methods=["GET", "POST"], response_class=PlainTextResponse)
def home(clock: ClockDep) -> str:
    return f"Welcome to the SMARTSolar API: {clock().isoformat()}"
