"""The transactional outbox: who gets a delivery (entity scoping), and only for changes that commit."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from db.models.alert import Subscriber
from db.models.product import ProductEntityLinker
from db.models.webhooks import WebhookDelivery, WebhookEvent
from domain.events import DCM, PRODUCT_ALERT, PRODUCT_STATUS, publish
from domain.webhooks.kicks import DeliveryRef, set_dispatcher
from domain.webhooks.payloads import product_status_data
from tests.utils.factories import make_entity, make_product
from tests.webhooks.alerts import make_alert


class RecordingDispatcher:
    """Notes what the after-commit hook hands over (delivery itself is tested end to end elsewhere)."""

    def __init__(self) -> None:
        self.started: list[DeliveryRef] = []

    def start_soon(self, refs):
        self.started.extend(refs)

    def cancel_soon(self, refs):
        pass


@pytest.fixture
def kicks():
    recording = RecordingDispatcher()
    previous = set_dispatcher(recording)
    yield recording
    set_dispatcher(previous)


def add_subscriber(db, channel, url, entity=None) -> Subscriber:
    subscriber = Subscriber(
        url=url, channel_name=channel, entity_id=entity.entity_id if entity else None, key="A" * 24
    )
    db.add(subscriber)
    db.commit()
    return subscriber


def deliveries(db) -> list[tuple[str, str | None, str]]:
    rows = db.execute(
        select(WebhookDelivery.url, WebhookEvent.product_imei, WebhookEvent.channel_name)
        .join(WebhookEvent)
        .order_by(WebhookDelivery.webhook_delivery_id)
    )
    return [tuple(row) for row in rows]


def status(imei):
    return product_status_data(imei, state=1, enabled_status="pending_enabled", user="u@example.com")


def test_each_subscriber_gets_only_events_about_units_its_entity_may_see(db, channels, kicks):
    entity_a, entity_b = make_entity(db), make_entity(db)
    unit_a, unit_b = make_product(db, entity=entity_a), make_product(db, entity=entity_b)
    add_subscriber(db, PRODUCT_STATUS, "http://global.example/", None)
    add_subscriber(db, PRODUCT_STATUS, "http://a.example/", entity_a)
    add_subscriber(db, PRODUCT_STATUS, "http://b.example/", entity_b)
    add_subscriber(db, DCM, "http://a.example/dcm", entity_a)

    publish(db, PRODUCT_STATUS, status(unit_a.product_imei), product_imei=unit_a.product_imei)
    publish(db, PRODUCT_STATUS, status(unit_b.product_imei), product_imei=unit_b.product_imei)
    publish(db, PRODUCT_STATUS, {"note": "about no unit"})
    db.commit()

    assert deliveries(db) == [
        ("http://global.example/", unit_a.product_imei, PRODUCT_STATUS),
        ("http://a.example/", unit_a.product_imei, PRODUCT_STATUS),
        ("http://global.example/", unit_b.product_imei, PRODUCT_STATUS),
        ("http://b.example/", unit_b.product_imei, PRODUCT_STATUS),
        ("http://global.example/", None, PRODUCT_STATUS),
    ]
    assert len(kicks.started) == 5
    assert len({ref.workflow_id for ref in kicks.started}) == 5


def test_a_unit_moved_away_from_an_entity_is_no_longer_its_business(db, channels, kicks):
    entity = make_entity(db)
    unit = make_product(db, entity=entity)
    add_subscriber(db, PRODUCT_STATUS, "http://a.example/", entity)
    link = db.scalar(select(ProductEntityLinker).where(ProductEntityLinker.product_imei == unit.product_imei))
    link.date_removed = datetime(2020, 1, 1)
    db.commit()
    publish(db, PRODUCT_STATUS, status(unit.product_imei), product_imei=unit.product_imei)
    db.commit()
    assert deliveries(db) == []


def test_nothing_is_published_when_the_change_rolls_back(db, channels, kicks):
    unit = make_product(db)
    add_subscriber(db, PRODUCT_STATUS, "http://global.example/")
    publish(db, PRODUCT_STATUS, status(unit.product_imei), product_imei=unit.product_imei)
    db.flush()
    db.rollback()
    assert deliveries(db) == [] and kicks.started == []
    db.commit()  # a later commit must not kick what was rolled back
    assert kicks.started == []


def test_the_kick_comes_after_the_commit_not_before(db, channels, kicks):
    unit = make_product(db)
    add_subscriber(db, PRODUCT_STATUS, "http://global.example/")
    publish(db, PRODUCT_STATUS, status(unit.product_imei), product_imei=unit.product_imei)
    db.flush()
    assert kicks.started == []
    db.commit()
    assert [ref.channel for ref in kicks.started] == [PRODUCT_STATUS]


def test_body_is_the_docs_payload(db, channels, kicks):
    unit = make_product(db)
    add_subscriber(db, PRODUCT_STATUS, "http://global.example/")
    publish(db, PRODUCT_STATUS, status(unit.product_imei), product_imei=unit.product_imei)
    db.commit()
    body = json.loads(db.scalar(select(WebhookEvent.body)))
    assert list(body) == ["channel", "timestamp", "data"]
    assert body["channel"] == PRODUCT_STATUS
    assert datetime.fromisoformat(body["timestamp"])
    assert body["data"] == {
        "product_imei": unit.product_imei,
        "state": 1,
        "enabled_status": "pending_enabled",
        "user": "u@example.com",
    }


def test_no_subscriber_no_rows(db, channels, kicks):
    unit = make_product(db)
    publish(db, DCM, {"final_balance": 3}, product_imei=unit.product_imei)
    db.commit()
    assert db.scalar(select(WebhookEvent)) is None and kicks.started == []


def test_product_status_data_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="enabled_status"):
        product_status_data("1", state=1, enabled_status="on", user="u")


def test_every_alert_change_through_the_orm_is_published(db, channels, kicks):
    unit = make_product(db)
    add_subscriber(db, PRODUCT_ALERT, "http://alerts.example/")
    alert = make_alert(db, unit)
    alert.extra_info = "customer called"
    db.commit()

    stored = db.scalars(select(WebhookEvent.body).order_by(WebhookEvent.webhook_event_id))
    bodies = [json.loads(body) for body in stored]
    assert [b["channel"] for b in bodies] == [PRODUCT_ALERT, PRODUCT_ALERT]
    created, updated = bodies[0]["data"], bodies[1]["data"]
    assert created["alert_id"] == alert.alert_id and created["start_time"] == "2016-01-01 00:00:00"
    assert created["extra_info"] is None and updated["extra_info"] == "customer called"
    assert set(created) == {
        "alert_id",
        "product_imei",
        "alert_type_id",
        "start_time",
        "dismissed_at",
        "dismissed_by",
        "dismissal_reason",
        "repair_id",
        "extra_info",
        "customer_called_date",
    }
