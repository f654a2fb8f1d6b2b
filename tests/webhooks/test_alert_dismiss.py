"""`PUT /v1/alerts/<alert_id>/dismiss`: the doc's payload and message, once, in scope; then product-alert."""

from __future__ import annotations

import json

from sqlalchemy import select

from db.models.alert import Alert, Subscriber
from db.models.repair import Repair
from db.models.webhooks import WebhookEvent
from domain.events import PRODUCT_ALERT
from domain.permissions import Permission, Scope
from tests.utils.factories import auth_headers, make_entity, make_product
from tests.webhooks.alerts import make_alert


def dismiss(client, headers, alert_id, body=None):
    return client.put(f"/v1/alerts/{alert_id}/dismiss", json=body, headers=headers)


def test_dismiss_as_the_doc_shows_and_publish_the_alert(client, db, channels):
    unit = make_product(db)
    alert = make_alert(db, unit)
    repair = Repair(product_imei=unit.product_imei)
    db.add_all([repair, Subscriber(url="http://alerts.example/", channel_name=PRODUCT_ALERT, key="A" * 24)])
    db.commit()
    headers = auth_headers(db, Permission.TECHNICAL, username="tech@example.com")

    body = {"dismissal_reason": "fixed on site", "extra_info": "fuse replaced", "repair_id": repair.repair_id}
    r = dismiss(client, headers, alert.alert_id, body)
    assert r.status_code == 200
    message = f"Alert #{alert.alert_id} has been dismissed"
    assert r.json() == {"status": "success", "message": message, "data": None}

    db.expire_all()
    stored = db.get(Alert, alert.alert_id)
    assert stored.dismissed_by == "tech@example.com" and stored.dismissed_at is not None
    assert (stored.dismissal_reason, stored.extra_info) == ("fixed on site", "fuse replaced")
    assert stored.repair_id == repair.repair_id
    published = json.loads(db.scalar(select(WebhookEvent.body)))
    assert published["channel"] == PRODUCT_ALERT
    assert published["data"]["alert_id"] == alert.alert_id
    assert published["data"]["dismissed_by"] == "tech@example.com"
    assert published["data"]["dismissal_reason"] == "fixed on site"


def test_a_second_dismissal_is_refused_and_changes_nothing(client, db, channels):
    alert = make_alert(db, make_product(db))
    headers = auth_headers(db, Permission.TECHNICAL)
    assert dismiss(client, headers, alert.alert_id, {"dismissal_reason": "first"}).status_code == 200
    r = dismiss(client, headers, alert.alert_id, {"dismissal_reason": "second"})
    assert r.status_code == 409
    assert r.json()["message"] == f"Alert #{alert.alert_id} has already been dismissed"
    db.expire_all()
    assert db.get(Alert, alert.alert_id).dismissal_reason == "first"


def test_the_body_is_optional(client, db, channels):
    alert = make_alert(db, make_product(db))
    assert dismiss(client, auth_headers(db, Permission.TECHNICAL), alert.alert_id).status_code == 200


def test_bad_input_is_a_clear_400(client, db, channels):
    unit, other = make_product(db), make_product(db)
    alert = make_alert(db, unit)
    other_repair = Repair(product_imei=other.product_imei)
    db.add(other_repair)
    db.commit()
    headers = auth_headers(db, Permission.TECHNICAL)
    cases = [
        ({"repair_id": other_repair.repair_id}, "repair_id"),
        ({"repair_id": 10**6}, "repair_id"),
        ({"dismissal_reason": "x" * 256}, "dismissal_reason"),
        ({"dismissed_by": "someone else"}, "dismissed_by"),
        ({"repair_id": "abc"}, "repair_id"),
    ]
    for body, field in cases:
        r = dismiss(client, headers, alert.alert_id, body)
        assert r.status_code == 400, body
        assert field in r.json()["validation_errors"], r.json()
    assert client.put("/v1/alerts/abc/dismiss", headers=headers).status_code == 400
    db.expire_all()
    assert db.get(Alert, alert.alert_id).dismissed_at is None


def test_unknown_and_other_entities_alerts_are_404_and_overview_is_403(client, db, channels):
    entity_a, entity_b = make_entity(db), make_entity(db)
    alert = make_alert(db, make_product(db, entity=entity_a))
    tech_b = auth_headers(db, Permission.TECHNICAL, scope=Scope.ENTITY, entity_id=entity_b.entity_id)
    r = dismiss(client, tech_b, alert.alert_id)
    assert r.status_code == 404 and r.json()["message"] == f"Alert #{alert.alert_id} not found"
    assert dismiss(client, auth_headers(db, Permission.TECHNICAL), 10**6).status_code == 404
    assert dismiss(client, auth_headers(db, Permission.OVERVIEW), alert.alert_id).status_code == 403
    tech_a = auth_headers(db, Permission.TECHNICAL, scope=Scope.ENTITY, entity_id=entity_a.entity_id)
    assert dismiss(client, tech_a, alert.alert_id).status_code == 200
