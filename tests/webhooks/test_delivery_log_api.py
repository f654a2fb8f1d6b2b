"""`/v1/webhook_deliveries`: entity-scoped listing and attempt log, and when redelivery is refused."""

from __future__ import annotations

from domain.events import DCM, publish
from domain.permissions import Permission, Scope
from tests.utils.factories import auth_headers, make_entity, make_product
from tests.utils.response_schema import assert_conforms
from tests.webhooks.helpers import delivery_rows


def subscribe(client, headers, url):
    r = client.post("/v1/channels/dcm/subscribe", json={"url": url}, headers=headers)
    assert r.status_code == 201, r.text


def test_each_entity_sees_its_own_deliveries_only(client, db, channels):
    entity_a, entity_b = make_entity(db), make_entity(db)
    admin_a = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_a.entity_id)
    admin_b = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=entity_b.entity_id)
    admin = auth_headers(db, Permission.ADMIN)
    subscribe(client, admin_a, "http://a.example/dcm")
    subscribe(client, admin_b, "http://b.example/dcm")
    unit_a = make_product(db, entity=entity_a)
    publish(db, DCM, {"final_balance": 1}, product_imei=unit_a.product_imei)
    db.commit()
    (delivery,) = delivery_rows()

    listing_a = assert_conforms(
        client.get("/v1/webhook_deliveries", headers=admin_a), "/v1/webhook_deliveries"
    )
    assert listing_a["num_results"] == 1 and listing_a["total_pages"] == 1 and listing_a["page"] == 1
    view = listing_a["objects"][0]
    assert (view["url"], view["status"], view["channel_name"], view["attempt_count"]) == (
        "http://a.example/dcm",
        "pending",
        "dcm",
        0,
    )
    assert view["payload"]["data"] == {"final_balance": 1}
    assert client.get("/v1/webhook_deliveries", headers=admin_b).json()["num_results"] == 0
    filtered = client.get("/v1/webhook_deliveries?channel=dcm&status=pending", headers=admin)
    assert filtered.json()["num_results"] == 1
    assert client.get("/v1/webhook_deliveries?status=delivered", headers=admin).json()["num_results"] == 0

    path = f"/v1/webhook_deliveries/{delivery.webhook_delivery_id}"
    one = client.get(path, headers=admin_a)
    assert one.status_code == 200
    assert assert_conforms(one, "/v1/webhook_deliveries/{delivery_id}")["attempts"] == []
    assert client.get(path, headers=admin_b).status_code == 404
    redelivered = client.post(f"{path}/redeliver", headers=admin_b)
    assert redelivered.status_code == 404


def test_bad_queries_and_permissions(client, db, channels):
    admin = auth_headers(db, Permission.ADMIN)
    r = client.get("/v1/webhook_deliveries?status=lost", headers=admin)
    assert r.status_code == 400 and "status" in r.json()["validation_errors"]
    assert client.get("/v1/webhook_deliveries?page=0", headers=admin).status_code == 400
    assert client.get("/v1/webhook_deliveries/abc", headers=admin).status_code == 400
    assert client.get("/v1/webhook_deliveries/999", headers=admin).status_code == 404
    technical = auth_headers(db, Permission.TECHNICAL)
    assert client.get("/v1/webhook_deliveries", headers=technical).status_code == 403
    assert client.get("/v1/webhook_deliveries").status_code == 401


def test_a_delivery_still_in_progress_cannot_be_redelivered(client, db, channels):
    admin = auth_headers(db, Permission.ADMIN)
    subscribe(client, admin, "http://a.example/dcm")
    publish(db, DCM, {"final_balance": 1}, product_imei=make_product(db).product_imei)
    db.commit()
    (delivery,) = delivery_rows()
    r = client.post(f"/v1/webhook_deliveries/{delivery.webhook_delivery_id}/redeliver", headers=admin)
    assert r.status_code == 409 and "still being delivered" in r.json()["message"]
    assert delivery_rows()[0].run_number == 1
