"""`/v1/webhook_deliveries`: every delivery of every event, its attempt log, and redelivery (ADMIN).

ENTITY users see the deliveries of their entity's subscriptions only; others answer 404.
"""

from __future__ import annotations

from math import ceil
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from api.deps import AdminUser, SessionDep
from api.schemas.webhooks import DeliveryPage, DeliveryWithAttempts, Redelivery
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


@router.get("", response_model=DeliveryPage)
def list_deliveries(
    session: SessionDep,
    user: AdminUser,
    channel: str | None = None,
    status: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    results_per_page: Annotated[int, Query(ge=1)] = 10,
) -> DeliveryPage:
    """Newest first, in the doc's collection shape; filter by `channel` and `status`."""
    per_page = min(results_per_page, get_settings().max_results_per_page)
    query = deliveries_query(user, channel=channel, status=status)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return DeliveryPage(
        total_pages=max(1, ceil(total / per_page)),
        objects=[delivery_view(delivery, event) for delivery, event in rows],
        num_results=total,
        page=page,
    )


@router.get("/{delivery_id}", response_model=DeliveryWithAttempts)
def get_delivery_route(delivery_id: int, session: SessionDep, user: AdminUser) -> DeliveryWithAttempts:
    """One delivery with its attempt log: status code, time and error of every try, oldest first."""
    delivery, event = get_delivery(session, user, delivery_id)
    view = delivery_view(delivery, event)
    view["attempts"] = [attempt_view(attempt) for attempt in attempts_of(session, delivery_id)]
    return DeliveryWithAttempts.model_validate(view)


@router.post("/{delivery_id}/redeliver", response_model=Redelivery)
def redeliver_route(delivery_id: int, session: SessionDep, user: AdminUser) -> Redelivery:
    """Send a finished (delivered, failed or cancelled-but-still-subscribed) delivery again."""
    delivery, event = redeliver(session, user, delivery_id)
    return Redelivery(
        message=f"Webhook delivery #{delivery_id} has been queued for redelivery",
        data=delivery_view(delivery, event),
    )
