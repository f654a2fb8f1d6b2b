"""`smartsolar run` (what `make run` calls) on free ports with SQLite: API up, login works, worker polls."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from core.settings import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stack(tmp_path):
    ports = {"api": free_port(), "temporal": free_port(), "ui": free_port()}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTSOLAR_")} | {
        "SMARTSOLAR_VAR_DIR": str(tmp_path),
        "SMARTSOLAR_API_PORT": str(ports["api"]),
        "SMARTSOLAR_TEMPORAL_PORT": str(ports["temporal"]),
        "SMARTSOLAR_TEMPORAL_UI_PORT": str(ports["ui"]),
        "SMARTSOLAR_ADMIN_USERNAME": "ops@example.com",
        "SMARTSOLAR_ADMIN_PASSWORD": "correct horse",
        "SMARTSOLAR_TASK_QUEUE": "smartsolar-e2e",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartsolar.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    banner = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        banner.append(line)
        if "Log in:" in line:
            break
    yield proc, ports, "".join(banner), tmp_path
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


async def test_run_starts_temporal_worker_and_api(stack):
    proc, ports, banner, var_dir = stack
    assert proc.poll() is None, banner
    assert f"http://127.0.0.1:{ports['api']}/v1/home" in banner
    assert f"http://127.0.0.1:{ports['ui']}" in banner
    assert f"http://127.0.0.1:{ports['api']}/app/" in banner
    assert "ops@example.com (created, SYSTEM, GLOBAL)" in banner
    assert (var_dir / "smartsolar.db").exists() and (var_dir / "temporal.db").exists()

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

    # Ctrl-C stops every child.
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/home")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", ports["temporal"]), timeout=1).close()
