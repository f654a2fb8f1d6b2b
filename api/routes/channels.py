"""`/v1/channels/<name>/subscribe|unsubscribe`: the doc's webhook subscriptions (ADMIN).

`GET /v1/channels` and `GET /v1/subscribers` are plain table endpoints (the generic table router),
which never show `subscriber.key`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StrictStr

from api.deps import AdminUser, SessionDep
from api.schemas.envelope import Done
from api.schemas.webhooks import Subscribed, SubscriptionMade
from domain.webhooks.subscriptions import subscribe, unsubscribe

router = APIRouter(prefix="/channels", tags=["webhooks"])


class SubscriptionBody(BaseModel):
    url: StrictStr | None = Field(
        None, max_length=2048, description="The endpoint to POST notifications to, exactly as signed"
    )


@router.post("/{channel_name}/subscribe", status_code=201, response_model=SubscriptionMade)
def subscribe_route(
    channel_name: str, body: SubscriptionBody, session: SessionDep, user: AdminUser, response: Response
) -> SubscriptionMade:
    """Subscribe a url; the response carries the secret key, shown this once only."""
    created = subscribe(session, user, channel_name, body.url)
    response.headers["Cache-Control"] = "no-store"  # the key must not linger in caches
    url = created.subscriber.url
    return SubscriptionMade(
        message=f"You have subscribed to the '{channel_name}' channel with the url: '{url}'",
        data=Subscribed(url=url, channel_name=channel_name, key=created.key),
    )


@router.post("/{channel_name}/unsubscribe", response_model=Done)
def unsubscribe_route(
    channel_name: str, body: SubscriptionBody, session: SessionDep, user: AdminUser
) -> Done:
    """Remove the subscription; its deliveries still retrying stop."""
    unsubscribe(session, user, channel_name, body.url)
    return Done(message=f"You have unsubscribed from the '{channel_name}' channel with the url: '{body.url}'")
