"""Delivery end to end: real API, real worker, real dev server, and a real receiver on loopback that
verifies both signatures with the doc's algorithm."""

from __future__ import annotations

from temporalio.client import WorkflowExecutionStatus

from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, unit_auth
from tests.utils.waiting import eventually
from tests.webhooks.alerts import make_alert
from tests.webhooks.helpers import delivery_rows, only_delivery, publish_final_balance, run_result, subscribe


def assert_authentic(request, channel: str) -> dict:
    assert request.doc_signature_ok and request.signature_256_ok
    assert request.headers["content-type"] == "application/json"
    body = request.json
    assert list(body) == ["channel", "timestamp", "data"] and body["channel"] == channel
    return body["data"]


async def test_enable_dismissal_and_final_balance_reach_the_receiver_signed(
    stack, db, channels, receiver, dispatcher
):
    admin = auth_headers(db, Permission.ADMIN)
    tech = auth_headers(db, Permission.TECHNICAL, username="tech@example.com")
    await subscribe(stack.http, admin, receiver, "product-status", "/hooks/status")
    await subscribe(stack.http, admin, receiver, "product-alert", "/hooks/alerts")
    await subscribe(stack.http, admin, receiver, "dcm", "/hooks/dcm?source=smartsolar")
    unit = make_product(db)
    imei = unit.product_imei

    # product-status: the enable request, then the unit's RC-GET that delivers it (published by the worker)
    assert (await stack.http.put(f"/v1/products/{imei}/enable", headers=tech)).status_code == 200
    assert (await stack.http.get("/v1/rc_data", auth=unit_auth(unit))).status_code == 200
    statuses = await eventually(lambda: len(got := receiver.accepted("/hooks/status")) == 2 and got)
    requested, settled = (assert_authentic(r, "product-status") for r in statuses)
    assert requested == {
        "product_imei": imei,
        "state": None,
        "enabled_status": "pending_enabled",
        "user": "tech@example.com",
    }
    assert (settled["product_imei"], settled["enabled_status"]) == (imei, "enabled")

    # product-alert: raised (through the ORM, as the table API does), then dismissed through the API
    alert = make_alert(db, unit)
    body = {"dismissal_reason": "fixed"}
    r = await stack.http.put(f"/v1/alerts/{alert.alert_id}/dismiss", json=body, headers=tech)
    assert r.status_code == 200
    alerts = await eventually(lambda: len(got := receiver.accepted("/hooks/alerts")) == 2 and got)
    raised, dismissed = (assert_authentic(r, "product-alert") for r in alerts)
    assert raised["alert_id"] == dismissed["alert_id"] == alert.alert_id
    assert raised["dismissed_at"] is None
    assert (dismissed["dismissed_by"], dismissed["dismissal_reason"]) == ("tech@example.com", "fixed")

    # dcm: a final balance (the exact url, query string included, is what the doc's signature covers)
    final = publish_final_balance(db, unit, balance=1234)
    (dcm,) = await eventually(lambda: receiver.accepted("/hooks/dcm?source=smartsolar"))
    assert assert_authentic(dcm, "dcm") == {
        "final_balance_id": final.final_balance_id,
        "product_imei": imei,
        "final_balance": 1234,
        "total_added": 5000,
        "zero_command_id": final.zero_command_id,
        "status": "received",
    }

    assert len({r.delivery_id for r in receiver.all()}) == 5 == len(receiver.all())
    # the receiver answered before the activity wrote it down: wait for the log, then read it
    await eventually(lambda: [d.status for d in delivery_rows()] == ["delivered"] * 5)
    listing = (await stack.http.get("/v1/webhook_deliveries?results_per_page=50", headers=admin)).json()
    assert listing["num_results"] == 5
    assert {(d["status"], d["attempt_count"]) for d in listing["objects"]} == {("delivered", 1)}


async def test_a_receiver_that_is_down_gets_the_event_once_when_it_is_back(
    stack, db, channels, receiver, dispatcher, fast_retries
):
    admin = auth_headers(db, Permission.ADMIN)
    await subscribe(stack.http, admin, receiver, "dcm", "/dcm")
    receiver.respond = lambda n: 500 if n <= 3 else 200
    publish_final_balance(db, make_product(db))

    delivery = await eventually(lambda: (row := only_delivery()).dispatched_at and row)
    assert await run_result(stack.client, delivery.delivery_uuid) == "delivered"
    handle = stack.client.get_workflow_handle(f"webhook/{delivery.delivery_uuid}/1")

    requests = receiver.all()
    assert [r.status for r in requests] == [500, 500, 500, 200]
    assert {r.delivery_id for r in requests} == {delivery.delivery_uuid}
    assert len({r.body for r in requests}) == 1
    assert all(r.doc_signature_ok and r.signature_256_ok for r in requests)

    path = f"/v1/webhook_deliveries/{delivery.webhook_delivery_id}"
    log = (await stack.http.get(path, headers=admin)).json()
    assert (log["status"], log["attempt_count"], log["last_status_code"]) == ("delivered", 4, 200)
    assert [(a["run_number"], a["attempt"], a["status_code"]) for a in log["attempts"]] == [
        (1, 1, 500),
        (1, 2, 500),
        (1, 3, 500),
        (1, 4, 200),
    ]
    assert [a["error"] is not None for a in log["attempts"]] == [True, True, True, False]
    assert log["attempts"][0]["error"].startswith("HTTP 500")
    assert all(a["attempted_at"] for a in log["attempts"])
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.COMPLETED
    assert (await description.static_summary()).startswith("Webhook dcm to 127.0.0.1")


async def test_redeliver_sends_again_with_the_same_delivery_id(stack, db, channels, receiver, dispatcher):
    admin = auth_headers(db, Permission.ADMIN)
    await subscribe(stack.http, admin, receiver, "dcm", "/dcm")
    publish_final_balance(db, make_product(db))
    await eventually(lambda: receiver.accepted())
    delivery = only_delivery()
    assert await run_result(stack.client, delivery.delivery_uuid) == "delivered"

    path = f"/v1/webhook_deliveries/{delivery.webhook_delivery_id}"
    r = await stack.http.post(f"{path}/redeliver", headers=admin)
    assert r.status_code == 200
    queued = f"Webhook delivery #{delivery.webhook_delivery_id} has been queued for redelivery"
    assert r.json()["message"] == queued
    assert r.json()["data"]["run_number"] == 2
    assert await run_result(stack.client, delivery.delivery_uuid, 2) == "delivered"

    first, second = receiver.accepted()
    assert first.delivery_id == second.delivery_id == delivery.delivery_uuid and first.body == second.body
    log = (await stack.http.get(path, headers=admin)).json()
    assert [(a["run_number"], a["status_code"]) for a in log["attempts"]] == [(1, 200), (2, 200)]
