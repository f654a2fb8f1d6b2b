"""Channels and subscriptions: who receives what, and with which key.

A subscription belongs to the subscribing user's entity (ENTITY users) or to no entity (GLOBAL users,
who see every unit), and receives only events about units that owner may see. The doc allows one
url per channel: each owner has at most one subscription per channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.alert import Channel, Subscriber
from db.models.user import User
from db.models.webhooks import WebhookDelivery, WebhookEvent
from domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from domain.events import CHANNELS
from domain.permissions import Scope
from domain.webhooks.addresses import RefusedAddress, Unresolvable, webhook_policy
from domain.webhooks.keys import new_key_salt, subscriber_key
from domain.webhooks.kicks import cancel_after_commit
from domain.webhooks.outbox import delivery_ref

URL_MAX_LENGTH = 255  # subscriber.url is a varchar(255)


@dataclass(frozen=True)
class NewSubscription:
    subscriber: Subscriber
    key: str  # shown once, in the subscribe response; never stored, never shown again


def ensure_channels(session: Session) -> None:
    """The doc's channels, for databases that lost them (the migration creates them)."""
    existing = set(session.scalars(select(Channel.name)))
    session.add_all(Channel(name=name) for name in CHANNELS if name not in existing)
    session.flush()


def get_channel(session: Session, name: str, *, for_update: bool = False) -> Channel:
    # NO KEY UPDATE: serialises subscriptions without blocking events, whose foreign key takes KEY SHARE.
    channel = session.get(Channel, name, with_for_update={"key_share": True} if for_update else None)
    if channel is None:
        available = ", ".join(f"'{n}'" for n in session.scalars(select(Channel.name).order_by(Channel.name)))
        raise NotFound(f"The channel '{name}' does not exist. Available channels: {available or 'none'}")
    return channel


def subscribe(session: Session, user: User, channel_name: str, url: str) -> NewSubscription:
    """Subscribe `url` to the channel for the user's entity; the returned key signs every notification."""
    url = validate_url(url)
    # Locking the channel row serialises subscriptions to it, so "one url per channel" holds under races.
    get_channel(session, channel_name, for_update=True)
    owner = subscription_owner(user)
    existing = session.scalar(
        select(Subscriber).where(Subscriber.channel_name == channel_name, _owned_by(owner))
    )
    if existing is not None:
        if existing.url == url:
            raise Conflict(
                f"You are already subscribed to the '{channel_name}' channel with the url: '{url}'"
            )
        raise Conflict(
            f"You are already subscribed to the '{channel_name}' channel with the url: '{existing.url}'. "
            "Only one url may be subscribed to each channel: unsubscribe it first",
            data={"url": existing.url, "channel_name": channel_name},
        )
    salt = new_key_salt()
    subscriber = Subscriber(url=url, channel_name=channel_name, entity_id=owner, key=salt)
    session.add(subscriber)
    session.flush()
    return NewSubscription(subscriber=subscriber, key=subscriber_key(salt))


def unsubscribe(session: Session, user: User, channel_name: str, url: str) -> None:
    """Remove the subscription and stop its pending deliveries (their retries end after commit)."""
    if not isinstance(url, str) or not url:
        raise ValidationFailed("A url is required", validation_errors={"url": "This field is required"})
    get_channel(session, channel_name)
    # The user's own subscription only: a GLOBAL user's unsubscribe must not remove an entity's.
    query = select(Subscriber).where(
        Subscriber.channel_name == channel_name, Subscriber.url == url, _owned_by(subscription_owner(user))
    )
    subscribers = session.scalars(query.with_for_update()).all()
    if not subscribers:
        raise NotFound(f"You are not subscribed to the '{channel_name}' channel with the url: '{url}'")
    ids = [s.subscriber_id for s in subscribers]
    pending = session.execute(
        select(WebhookDelivery, WebhookEvent.product_imei)
        .join(WebhookEvent, WebhookEvent.webhook_event_id == WebhookDelivery.webhook_event_id)
        .where(WebhookDelivery.subscriber_id.in_(ids), WebhookDelivery.status == "pending")
    ).all()
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.subscriber_id.in_(ids), WebhookDelivery.status == "pending")
        .values(status="cancelled", last_error="unsubscribed")
    )
    cancel_after_commit(
        session, [delivery_ref(d, channel_name, imei) for d, imei in pending if d.dispatched_at is not None]
    )
    for subscriber in subscribers:
        session.delete(subscriber)
    session.flush()


def subscription_owner(user: User) -> int | None:
    """The entity a user's subscriptions belong to: none for GLOBAL users (they see every unit)."""
    if user.scope is Scope.GLOBAL:
        return None
    if user.entity_id is None:
        raise Forbidden("Your user has ENTITY scope but no entity, so it cannot subscribe to channels")
    return user.entity_id


def _owned_by(owner: int | None):
    return Subscriber.entity_id.is_(None) if owner is None else Subscriber.entity_id == owner


def validate_url(url: object) -> str:
    """An absolute http(s) url, kept exactly as given: the doc signs the exact url."""

    def invalid(reason: str) -> ValidationFailed:
        return ValidationFailed(f"Invalid url: {reason}", validation_errors={"url": reason})

    if url is None or url == "":
        raise invalid("This field is required")
    if not isinstance(url, str):
        raise invalid("must be a string")
    if len(url) > URL_MAX_LENGTH:
        raise invalid(f"must be at most {URL_MAX_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise invalid("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise invalid(f"cannot be parsed ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise invalid("must start with http:// or https://")
    if not parts.hostname:
        raise invalid("must name a host, e.g. https://example.com/hooks")
    if parts.username is not None or parts.password is not None:
        raise invalid("must not contain a user name or password (they would be stored and listed)")
    try:
        webhook_policy().resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except Unresolvable:
        pass  # checked again, after resolution, before every POST
    except RefusedAddress as exc:
        raise invalid(f"must be a public address: {exc}") from None
    return url
