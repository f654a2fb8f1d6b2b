"""`smartsolar run` (what `make run` calls) as a child process on free ports, with an empty database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import aio_pika
import pytest

from core.settings import ROOT, get_settings
from domain.rtc.broker import Names
from tests.utils.broker import drop_topology

ADMIN = ("ops@example.com", "correct horse")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StackOutput:
    """What the stack printed after its banner, read by a thread so a full pipe never blocks it."""

    def __init__(self, stream, lines: list[str]) -> None:
        self.lines = lines
        self._reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
        self._reader.start()

    def all(self) -> str:
        """Everything, once the stack has exited (its end of the pipe closed)."""
        self._reader.join(timeout=30)
        return "".join(self.lines)


@pytest.fixture
def smartsolar_run(tmp_path):
    """(process, ports, banner, var dir, output lines): the whole stack, SQLite and Temporal files under
    tmp_path; the output list keeps growing with what the stack prints (stdout and stderr) until it ends."""
    ports = {"api": free_port(), "temporal": free_port(), "ui": free_port()}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTSOLAR_")} | {
        "SMARTSOLAR_VAR_DIR": str(tmp_path),
        "SMARTSOLAR_API_PORT": str(ports["api"]),
        "SMARTSOLAR_TEMPORAL_PORT": str(ports["temporal"]),
        "SMARTSOLAR_TEMPORAL_UI_PORT": str(ports["ui"]),
        "SMARTSOLAR_ADMIN_USERNAME": ADMIN[0],
        "SMARTSOLAR_ADMIN_PASSWORD": ADMIN[1],
        "SMARTSOLAR_TASK_QUEUE": "smartsolar-e2e",
        # its own broker names, so its RTC consumer reads no one else's queues
        "SMARTSOLAR_AMQP_PREFIX": f"e2e-{uuid.uuid4().hex[:8]}.",
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
    first = "".join(banner)
    yield proc, ports, first, tmp_path, StackOutput(proc.stdout, banner)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    asyncio.run(drop_broker_names(Names(env["SMARTSOLAR_AMQP_PREFIX"])))


async def drop_broker_names(names: Names) -> None:
    connection = await aio_pika.connect(get_settings().amqp_url)
    async with connection:
        await drop_topology(await connection.channel(), names, [])
