"""The API process starts deliveries itself right after its commit (its lifespan installs the dispatcher)."""

from __future__ import annotations

import concurrent.futures
import uuid

from fastapi.testclient import TestClient

from core.settings import get_settings
from domain.permissions import Permission
from smartsolar.worker import build_worker
from tests.utils.factories import auth_headers, make_product
from tests.utils.waiting import eventually
from tests.webhooks.alerts import make_alert
from tests.webhooks.helpers import only_delivery, run_result


async def test_a_dismissal_through_the_running_api_is_delivered(
    local_env, app, db, channels, receiver, monkeypatch
):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"test-{uuid.uuid4()}")
    app.state.temporal_client = local_env.client
    alert = make_alert(db, make_product(db))  # before anyone subscribes: published to no one
    admin, tech = auth_headers(db, Permission.ADMIN), auth_headers(db, Permission.TECHNICAL)
    url = receiver.url("/alerts")
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
        async with build_worker(local_env.client, settings, executor):
            with TestClient(app) as api:  # runs the app's lifespan, as uvicorn does
                r = api.post("/v1/channels/product-alert/subscribe", json={"url": url}, headers=admin)
                receiver.keys[url] = r.json()["data"]["key"]
                assert api.put(f"/v1/alerts/{alert.alert_id}/dismiss", headers=tech).status_code == 200
                delivery = await eventually(lambda: (row := only_delivery()).dispatched_at and row)
                assert await run_result(local_env.client, delivery.delivery_uuid) == "delivered"
    (request,) = receiver.accepted()
    assert request.doc_signature_ok and request.json["data"]["alert_id"] == alert.alert_id
