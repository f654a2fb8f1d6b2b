"""A real browser for the technician app's tests: Debian's Chromium driven by Playwright (Python).

Browsers cannot be downloaded here, so Playwright launches `/usr/bin/chromium`, installed from
Debian's `chromium` package when missing. The API runs under uvicorn on a free port in the test's
event loop, so the browser talks to the same app, worker and Temporal as the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
from pathlib import Path

import uvicorn

from core.settings import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# Screenshots of the browser tests, kept after the run (git-ignored).
ARTIFACTS = ROOT / "var" / "test-artifacts" / "app"


def ensure_chromium() -> Path:
    """Debian's Chromium, installed through apt (several engineers share apt: hence the lock)."""
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            raise RuntimeError("Chromium is missing and apt-get is not available to install it")
        install = ["flock", "/tmp/apt.lock", "apt-get", "install", "-y", "-q", "chromium"]
        if subprocess.run(install).returncode != 0:  # a fresh machine may have no package lists yet
            subprocess.run(["flock", "/tmp/apt.lock", "apt-get", "update", "-q"], check=True)
            subprocess.run(install, check=True)
    return CHROMIUM


class QuietServer(uvicorn.Server):
    """uvicorn inside the test's event loop: it must not take over the process's signal handlers."""

    def capture_signals(self):
        return contextlib.nullcontext()


class AppServer:
    """The API app served over real HTTP on 127.0.0.1 and a free port."""

    def __init__(self, app) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
        self.server = QuietServer(config)
        self.task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
        self.sock.close()
