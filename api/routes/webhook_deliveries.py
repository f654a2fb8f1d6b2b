"""`/v1/webhook_deliveries`: every delivery of every event, its attempt log, and redelivery (ADMIN).

ENTITY users see the deliveries of their entity's subscriptions only; others answer 404.
"""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from api.deps import AdminUser, SessionDep
from api.schemas import ActionResponse
from core.settings import get_settings
from domain.webhooks.deliveries import (
    attempt_view,
    attempts_of,
    deliveries_query,
    delivery_view,
    get_delivery,
    redeliver,
)

router = APIRouter(prefix="/webhook_deliveries", tags=["webhooks"])


@router.get("")
def list_deliveries(
    session: SessionDep,
    user: AdminUser,
    channel: str | None = None,
    status: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    results_per_page: Annotated[int, Query(ge=1)] = 10,
) -> dict[str, Any]:
    """Newest first, in the doc's collection shape; filter by `channel` and `status`."""
    per_page = min(results_per_page, get_settings().max_results_per_page)
    query = deliveries_query(user, channel=channel, status=status)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {
        "total_pages": max(1, ceil(total / per_page)),
        "objects": [delivery_view(delivery, event) for delivery, event in rows],
        "num_results": total,
        "page": page,
    }


@router.get("/{delivery_id}")
def get_delivery_route(delivery_id: int, session: SessionDep, user: AdminUser) -> dict[str, Any]:
    """One delivery with its attempt log: status code, time and error of every try, oldest first."""
    delivery, event = get_delivery(session, user, delivery_id)
    view = delivery_view(delivery, event)
    view["attempts"] = [attempt_view(attempt) for attempt in attempts_of(session, delivery_id)]
    return view


@router.post("/{delivery_id}/redeliver", response_model=ActionResponse)
def redeliver_route(delivery_id: int, session: SessionDep, user: AdminUser) -> ActionResponse:
    """Send a finished (delivered, failed or cancelled-but-still-subscribed) delivery again."""
    delivery, event = redeliver(session, user, delivery_id)
    return ActionResponse(
        message=f"Webhook delivery #{delivery_id} has been queued for redelivery",
        data=delivery_view(delivery, event),
    )
