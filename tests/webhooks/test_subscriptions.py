"""Subscribing and unsubscribing, as the doc's "Notifications (Web Hooks)" section shows them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models.alert import Subscriber
from domain.permissions import Permission, Scope
from domain.webhooks.keys import subscriber_key
from tests.utils.factories import auth_headers, make_entity

URL = "http://example_domain/example_endpoint"


def subscribe(client, headers, url=URL, channel="product-status"):
    return client.post(f"/v1/channels/{channel}/subscribe", json={"url": url}, headers=headers)


def test_channels_after_migration_in_the_doc_shape(client, db, channels):
    r = client.get("/v1/channels", headers=auth_headers(db, Permission.OVERVIEW))
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"total_pages", "objects", "num_results", "page"}
    assert sorted(o["name"] for o in body["objects"]) == ["dcm", "product-alert", "product-status"]
    assert {"name", "created_at", "created_by", "modified_at", "modified_by"} <= set(body["objects"][0])


def test_subscribe_shows_the_key_once_and_stores_only_a_salt(client, db, channels):
    headers = auth_headers(db, Permission.ADMIN)
    r = subscribe(client, headers)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "success"
    assert body["message"] == f"You have subscribed to the 'product-status' channel with the url: '{URL}'"
    assert set(body["data"]) == {"url", "channel_name", "key"}
    assert body["data"]["url"] == URL and body["data"]["channel_name"] == "product-status"
    key = body["data"]["key"]
    assert len(key) == 24
    assert r.headers["cache-control"] == "no-store"

    stored = db.scalar(select(Subscriber))
    assert stored.entity_id is None  # a GLOBAL admin's subscription sees every unit
    assert stored.key != key and subscriber_key(stored.key) == key

    listing = client.get("/v1/subscribers", headers=headers)
    one = client.get(f"/v1/subscribers/{stored.subscriber_id}", headers=headers)
    assert listing.status_code == 200 and one.status_code == 200
    assert listing.json()["objects"][0]["url"] == URL
    for text in (listing.text, one.text):
        assert key not in text and stored.key not in text and '"key"' not in text


def test_one_url_per_channel_per_owner(client, db, channels):
    entity_a, entity_b = make_entity(db), make_entity(db)
    admin_a = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_a.entity_id)
    admin_b = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_b.entity_id)
    assert subscribe(client, admin_a).status_code == 201

    again = subscribe(client, admin_a)
    assert again.status_code == 409
    assert again.json()["message"] == (
        f"You are already subscribed to the 'product-status' channel with the url: '{URL}'"
    )
    other_url = subscribe(client, admin_a, url="https://erp.example.com/hooks")
    assert other_url.status_code == 409 and "unsubscribe it first" in other_url.json()["message"]

    assert subscribe(client, admin_b).status_code == 201  # another entity: its own subscription
    assert subscribe(client, admin_a, channel="dcm").status_code == 201  # another channel
    owners = db.execute(
        select(Subscriber.entity_id, Subscriber.channel_name).order_by(Subscriber.subscriber_id)
    )
    assert owners.all() == [
        (entity_a.entity_id, "product-status"),
        (entity_b.entity_id, "product-status"),
        (entity_a.entity_id, "dcm"),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "This field is required"),
        ({"url": ""}, "This field is required"),
        ({"url": "ftp://example.com/x"}, "must start with http:// or https://"),
        ({"url": "example.com/hooks"}, "must start with http:// or https://"),
        ({"url": "http:///no-host"}, "must name a host"),
        ({"url": "http://example.com/with space"}, "must not contain spaces"),
        ({"url": "https://user:pw@example.com/"}, "must not contain a user name or password"),
        ({"url": "http://example.com:99999/"}, "cannot be parsed"),
        ({"url": "https://example.com/" + "x" * 255}, "at most 255 characters"),
    ],
)
def test_bad_urls_are_refused_and_nothing_is_written(client, db, channels, body, reason):
    headers = auth_headers(db, Permission.ADMIN)
    r = client.post("/v1/channels/product-status/subscribe", json=body, headers=headers)
    assert r.status_code == 400
    assert r.json()["status"] == "validation-error"
    assert reason in r.json()["validation_errors"]["url"]
    assert db.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_a_url_that_is_not_a_string_or_a_body_that_is_not_json(client, db, channels):
    headers = auth_headers(db, Permission.ADMIN)
    r = client.post("/v1/channels/product-status/subscribe", json={"url": 12}, headers=headers)
    assert r.status_code == 400 and "url" in r.json()["validation_errors"]
    r = client.post("/v1/channels/product-status/subscribe", content=b"not json", headers=headers)
    assert r.status_code == 400 and r.json()["status"] == "validation-error"


def test_unknown_channel_is_404_naming_the_channels(client, db, channels):
    r = subscribe(client, auth_headers(db, Permission.ADMIN), channel="weather")
    assert r.status_code == 404
    assert r.json()["message"] == (
        "The channel 'weather' does not exist. Available channels: 'dcm', 'product-alert', 'product-status'"
    )


def test_subscribing_needs_admin_and_a_token(client, db, channels):
    assert subscribe(client, {}).status_code == 401
    r = subscribe(client, auth_headers(db, Permission.TECHNICAL))
    assert r.status_code == 403
    technical = auth_headers(db, Permission.TECHNICAL)
    r = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=technical)
    assert r.status_code == 403


def test_unsubscribe(client, db, channels):
    headers = auth_headers(db, Permission.ADMIN)
    subscribe(client, headers)
    r = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=headers)
    assert r.status_code == 200
    assert r.json() == {
        "status": "success",
        "message": f"You have unsubscribed from the 'product-status' channel with the url: '{URL}'",
        "data": None,
    }
    assert db.scalar(select(func.count()).select_from(Subscriber)) == 0
    again = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=headers)
    assert again.status_code == 404
    assert again.json()["message"] == (
        f"You are not subscribed to the 'product-status' channel with the url: '{URL}'"
    )
    # and the url may be subscribed again, with a new key
    assert subscribe(client, headers).status_code == 201


def test_an_entity_cannot_unsubscribe_another_entitys_url(client, db, channels):
    entity_a, entity_b = make_entity(db), make_entity(db)
    admin_a = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_a.entity_id)
    admin_b = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_b.entity_id)
    subscribe(client, admin_a)
    r = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=admin_b)
    assert r.status_code == 404
    assert db.scalar(select(func.count()).select_from(Subscriber)) == 1
    # nor list it: the table API scopes subscribers by entity
    assert client.get("/v1/subscribers", headers=admin_b).json()["num_results"] == 0


def test_unsubscribe_removes_only_the_users_own_subscription(client, db, channels):
    entity = make_entity(db)
    entity_admin = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity.entity_id)
    global_admin = auth_headers(db, Permission.ADMIN, username="global-admin")
    assert subscribe(client, entity_admin).status_code == 201
    r = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=global_admin)
    assert r.status_code == 404
    assert db.scalar(select(func.count()).select_from(Subscriber)) == 1
    assert subscribe(client, global_admin).status_code == 201
    r = client.post("/v1/channels/product-status/unsubscribe", json={"url": URL}, headers=global_admin)
    assert r.status_code == 200
    db.expire_all()
    assert db.scalars(select(Subscriber.entity_id)).all() == [entity.entity_id]
