"""`smartsolar run` (what `make run` calls) on free ports with SQLite: API up, login works, worker polls,
the Temporal dev server writes to its own log file, and Ctrl-C stops everything quietly."""

from __future__ import annotations

import signal
import socket
import time

import httpx
import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client


async def test_run_starts_temporal_worker_and_api(smartsolar_run):
    proc, ports, banner, var_dir, output = smartsolar_run
    assert proc.poll() is None, banner
    assert f"http://127.0.0.1:{ports['api']}/v1/home" in banner
    assert f"http://127.0.0.1:{ports['ui']}" in banner
    assert f"http://127.0.0.1:{ports['api']}/app/" in banner
    assert "ops@example.com (created, SYSTEM, GLOBAL)" in banner
    assert "RTC:          on, RabbitMQ at amqp://127.0.0.1:5672/" in banner
    assert (var_dir / "smartsolar.db").exists() and (var_dir / "temporal.db").exists()
    temporal_log = var_dir / "temporal.log"
    assert f"Temporal log: {temporal_log}" in banner
    # The dev server's own start lines go to its file, not to the operator's terminal.
    assert f"Temporal Server:      localhost:{ports['temporal']}" in temporal_log.read_text()
    assert "Temporal Server:" not in banner

    base = f"http://127.0.0.1:{ports['api']}/v1"
    assert httpx.get(f"{base}/home").text.startswith("Welcome to the SMARTSolar API: ")
    assert "/app/static/js/app.js" in httpx.get(f"http://127.0.0.1:{ports['api']}/app/").text
    r = httpx.post(f"{base}/auth/login", data={"username": "ops@example.com", "password": "correct horse"})
    assert r.status_code == 200
    token = r.json()["message"]["login_successful"]["API_token"]
    r = httpx.get(
        f"{base}/auth/validate_user",
        params={"username": "ops@example.com"},
        headers={"Authorization": f"Token token={token}"},
    )
    assert r.json()["data"] == "True"

    client = await Client.connect(f"127.0.0.1:{ports['temporal']}")
    pollers = []
    for _ in range(50):
        response = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace="default",
                task_queue=TaskQueue(name="smartsolar-e2e"),
                task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            )
        )
        pollers = list(response.pollers)
        if pollers:
            break
        time.sleep(0.2)
    assert pollers, "no worker is polling the smartsolar task queue"

    # Ctrl-C stops every child, quietly: exit code 0, no traceback, no cancellation noise.
    logged_before_stop = temporal_log.stat().st_size
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    printed = output.all()
    assert "Traceback" not in printed and "CancelledError" not in printed, printed[-3000:]
    assert "level=WARN" not in printed  # the dev server's shutdown warnings stay in its file
    assert temporal_log.stat().st_size >= logged_before_stop
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/home")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", ports["temporal"]), timeout=1).close()
