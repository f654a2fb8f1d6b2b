"""The API under uvicorn and the real worker, on an event loop of their own in a background thread.

Tests that call the API with blocking HTTP (the schemathesis fuzzer) cannot share the test's event loop
with the app and the worker: while the test waits on a response, that loop would not run, and the request
would wait forever on a workflow no worker polls. So this stack gets its own loop, its own Temporal client
(on the same dev server as the other tests), the worker on `settings.task_queue`, and is reached over real HTTP.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import Settings
from simulator.sms_gateway import SimulatedSmsGateway
from smartsolar.worker import build_worker
from tests.utils.browser import AppServer


class BackgroundStack:
    """`with BackgroundStack(app, target, settings) as stack:` serves `app` at `stack.url` until the end."""

    def __init__(self, app, temporal_target: str, settings: Settings, namespace: str = "default") -> None:
        self.app = app
        self.temporal_target = temporal_target
        self.namespace = namespace
        self.settings = settings
        self.url = ""
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="background-stack", daemon=True)

    def __enter__(self) -> BackgroundStack:
        self._thread.start()
        self._ready.wait(60)
        if self._failure is not None:
            raise RuntimeError("the background stack did not start") from self._failure
        if not self._ready.is_set():
            raise RuntimeError("the background stack did not start within 60 s")
        return self

    def __exit__(self, *_exc) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        self.app.state.temporal_client = None

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to the thread that waits in __enter__
            self._failure = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        client = await Client.connect(
            self.temporal_target, namespace=self.namespace, data_converter=pydantic_data_converter
        )
        self.app.state.temporal_client = client
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
            async with build_worker(client, self.settings, executor, SimulatedSmsGateway()):
                server = AppServer(self.app)
                await server.start()
                self.url = server.url
                self._ready.set()
                try:
                    await self._stop.wait()
                finally:
                    await server.stop()
