"""A fleet of simulated units against a running API, in compressed time, woken by the simulated SMS network.

Each unit connects every `interval` seconds (the real ones: every ~4 hours) and at once when a WAKEUP SMS
reaches it; the network then posts the delivery receipt back to the API, as a real SMS provider would.
"""

from __future__ import annotations

import asyncio
import random

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from simulator.unit import SimulatedUnit


class SmsToUnit(BaseModel):
    imei: str
    message: str
    message_reference: str
    imsi: str = ""


class Fleet:
    def __init__(
        self, api_url: str, units: list[SimulatedUnit], interval: float, receipt_key: str, seed: int = 7
    ):
        self.units = {unit.imei: unit for unit in units}
        self.interval = interval
        self._api_url = api_url
        self._receipt_key = receipt_key
        self._wake = {imei: asyncio.Event() for imei in self.units}
        self._random = random.Random(seed)
        self.receipts_posted = 0

    def network_app(self) -> FastAPI:
        """The simulated phone network: the simulated SMS gateway hands each SMS to it."""
        app = FastAPI(title="simulated SMS network")

        @app.post("/sms")
        async def deliver(sms: SmsToUnit) -> dict:
            unit = self.units.get(sms.imei)
            if unit is None:
                return {"delivered": False}  # not our unit: out of coverage
            unit.sms_received += 1
            asyncio.get_running_loop().create_task(self._receipt(sms.message_reference))
            if sms.message == "WAKEUP":
                self._wake[sms.imei].set()
            else:
                unit.take_sms(
                    sms.message
                )  # a DCM payment command: applied now, acknowledged at the next RC-POST
            return {"delivered": True}

        return app

    async def _receipt(self, reference: str) -> None:
        async with httpx.AsyncClient(base_url=self._api_url, timeout=10) as http:
            r = await http.post(
                "/v1/sms/receipts",
                json={"message_reference": reference},
                headers={"X-SMS-Gateway-Key": self._receipt_key},
            )
            if r.status_code == 200:
                self.receipts_posted += 1

    async def run(self, stop: asyncio.Event) -> None:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=self._api_url, timeout=30, limits=limits) as http:
            tasks = [asyncio.create_task(self._live(unit, http, stop)) for unit in self.units.values()]
            await stop.wait()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _live(self, unit: SimulatedUnit, http: httpx.AsyncClient, stop: asyncio.Event) -> None:
        wake = self._wake[unit.imei]
        # Spread first connections over one interval, as real units are.
        first = self._random.uniform(0, self.interval)
        while not stop.is_set():
            try:
                await asyncio.wait_for(wake.wait(), timeout=first if unit.connections == 0 else self.interval)
            except TimeoutError:
                pass
            wake.clear()
            try:
                await unit.connect(http)
            except httpx.HTTPError as exc:
                unit.errors.append(type(exc).__name__)

    def progress(self) -> str:
        units = self.units.values()
        enabled = sum(u.enable_flag for u in units)
        return (
            f"{len(self.units)} units | enabled {enabled} | connections {sum(u.connections for u in units)} | "
            f"SMS {sum(u.sms_received for u in units)} | receipts {self.receipts_posted} | "
            f"errors {sum(len(u.errors) for u in units)}"
        )


async def serve_network(fleet: Fleet, port: int) -> uvicorn.Server:
    server = uvicorn.Server(
        uvicorn.Config(fleet.network_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    return server
