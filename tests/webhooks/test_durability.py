"""Nothing is lost: not when the API dies before starting a delivery, not when the worker restarts
mid-retries. Unsubscribing stops retries; past the max age (3 days by default) a delivery is failed."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from datetime import timedelta

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError

from clients.webhooks import install_dispatcher
from contracts.webhooks import SweepInput
from core.settings import get_settings
from domain.permissions import Permission
from domain.webhooks.kicks import set_dispatcher
from domain.webhooks.subscriptions import subscribe
from smartsolar.worker import build_worker
from tests.utils.factories import auth_headers, make_product, make_user
from tests.utils.waiting import eventually
from tests.webhooks.helpers import only_delivery, publish_final_balance, run_result
from tests.webhooks.helpers import subscribe as subscribe_over_http
from workflows.webhooks import WebhookOutboxSweeper


async def test_the_sweeper_starts_what_a_crash_left_in_the_outbox(stack, db, channels, receiver):
    # No dispatcher: as if the API died between its commit and starting the delivery.
    await subscribe_over_http(stack.http, auth_headers(db, Permission.ADMIN), receiver, "dcm", "/dcm")
    publish_final_balance(db, make_product(db))
    assert only_delivery().dispatched_at is None

    sweeper = await stack.client.start_workflow(
        WebhookOutboxSweeper.run,
        SweepInput(every_seconds=0.2, rounds_per_run=3),
        id=f"sweep-{uuid.uuid4()}",
        task_queue=get_settings().task_queue,
    )
    try:
        delivery = await eventually(lambda: (row := only_delivery()).dispatched_at and row)
        assert await run_result(stack.client, delivery.delivery_uuid) == "delivered"
        # Later rounds, and the run it continued as, find nothing left: the delivery was started once.
        await eventually(lambda: _continued(stack.client, sweeper.id))
        assert await stack.client.get_workflow_handle(sweeper.id).query(WebhookOutboxSweeper.started) == 0
    finally:
        await stack.client.get_workflow_handle(sweeper.id).terminate()
    assert [r.status for r in receiver.all()] == [200]


async def _continued(client, workflow_id: str) -> bool:
    runs = [w async for w in client.list_workflows(f"WorkflowId = '{workflow_id}'")]
    return len(runs) >= 2


async def test_a_worker_restart_mid_retries_loses_nothing_and_sends_once(
    local_env, db, channels, receiver, fast_retries, monkeypatch
):
    settings = get_settings()
    monkeypatch.setattr(settings, "task_queue", f"test-{uuid.uuid4()}")
    previous = install_dispatcher(local_env.client, asyncio.get_running_loop())
    try:
        admin = make_user(db, Permission.ADMIN)
        url = receiver.url("/dcm")
        receiver.keys[url] = subscribe(db, admin, "dcm", url).key
        db.commit()
        receiver.respond = lambda _n: 503
        # The event is committed and its workflow started while no worker runs at all.
        publish_final_balance(db, make_product(db))
        delivery = await eventually(lambda: (row := only_delivery()).dispatched_at and row)

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
            async with build_worker(local_env.client, settings, executor):
                await eventually(lambda: len(receiver.all()) >= 2)
            failed_before_restart = len(receiver.all())
            receiver.respond = lambda _n: 200
            async with build_worker(local_env.client, settings, executor):
                assert await run_result(local_env.client, delivery.delivery_uuid) == "delivered"
    finally:
        set_dispatcher(previous)

    requests = receiver.all()
    assert [r.status for r in requests] == [503] * failed_before_restart + [200]
    assert {r.delivery_id for r in requests} == {delivery.delivery_uuid}
    # The stopping worker let its attempt in flight finish (its shutdown grace): every POST is in the log.
    assert only_delivery().attempt_count == len(requests)


async def test_unsubscribing_stops_the_retries(stack, db, channels, receiver, dispatcher, fast_retries):
    admin = auth_headers(db, Permission.ADMIN)
    url = await subscribe_over_http(stack.http, admin, receiver, "dcm", "/dcm")
    receiver.respond = lambda _n: 500
    publish_final_balance(db, make_product(db))
    await eventually(lambda: len(receiver.all()) >= 2)
    delivery = only_delivery()

    r = await stack.http.post("/v1/channels/dcm/unsubscribe", json={"url": url}, headers=admin)
    assert r.status_code == 200
    handle = stack.client.get_workflow_handle(f"webhook/{delivery.delivery_uuid}/1")
    try:
        outcome = await handle.result()  # unsubscribed while an attempt was in flight
    except WorkflowFailureError:
        outcome = (await handle.describe()).status  # the usual case: cancelled during the backoff
    assert outcome in ("cancelled", WorkflowExecutionStatus.CANCELED)
    stopped = only_delivery()
    assert (stopped.status, stopped.subscriber_id) == ("cancelled", None)
    # The workflow waited for an attempt in flight, so every POST made is in the log and none follows.
    assert stopped.attempt_count == len(receiver.all())
    path = f"/v1/webhook_deliveries/{delivery.webhook_delivery_id}"
    log = (await stack.http.get(path, headers=admin)).json()
    assert log["status"] == "cancelled" and len(log["attempts"]) == len(receiver.all())
    r = await stack.http.post(f"{path}/redeliver", headers=admin)
    assert r.status_code == 409 and "subscription was removed" in r.json()["message"]


async def test_past_the_max_age_the_delivery_is_marked_failed(
    stack, db, channels, receiver, dispatcher, fast_retries, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_retry_max_age_seconds", 2)
    await subscribe_over_http(stack.http, auth_headers(db, Permission.ADMIN), receiver, "dcm", "/dcm")
    receiver.respond = lambda _n: 500
    publish_final_balance(db, make_product(db))
    delivery = await eventually(lambda: (row := only_delivery()).dispatched_at and row)
    with pytest.raises(WorkflowFailureError) as failure:
        await run_result(stack.client, delivery.delivery_uuid)
    assert "not delivered after 0:00:02" in str(failure.value.cause)
    failed = only_delivery()
    assert failed.status == "failed" and failed.last_error.startswith("gave up")
    assert failed.delivered_at is None and failed.attempt_count == len(receiver.all()) >= 2


async def test_by_default_retries_back_off_to_hourly_for_three_days(
    stack, db, channels, receiver, dispatcher
):
    """The policy Temporal enforces, read back from the workflow's history (settings' defaults)."""
    admin = auth_headers(db, Permission.ADMIN)
    url = await subscribe_over_http(stack.http, admin, receiver, "dcm", "/dcm")
    receiver.respond = lambda _n: 500
    publish_final_balance(db, make_product(db))
    await eventually(lambda: receiver.all())
    handle = stack.client.get_workflow_handle(f"webhook/{only_delivery().delivery_uuid}/1")
    scheduled = [
        event.activity_task_scheduled_event_attributes
        async for event in handle.fetch_history_events()
        if event.HasField("activity_task_scheduled_event_attributes")
    ]
    assert len(scheduled) == 1
    policy = scheduled[0].retry_policy
    assert scheduled[0].schedule_to_close_timeout.ToTimedelta() == timedelta(days=3)
    assert policy.initial_interval.ToTimedelta() == timedelta(seconds=10)
    assert policy.backoff_coefficient == 2.0
    assert policy.maximum_interval.ToTimedelta() == timedelta(hours=1)
    assert policy.maximum_attempts == 0  # unlimited: the 3 days decide
    r = await stack.http.post("/v1/channels/dcm/unsubscribe", json={"url": url}, headers=admin)
    assert r.status_code == 200
    with pytest.raises(WorkflowFailureError):
        await handle.result()
