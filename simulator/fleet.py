"""A fleet of simulated units against a running API, in compressed time, woken by the simulated SMS network.

Each unit connects every `interval` seconds (the real ones: every ~4 hours) and at once when a WAKEUP SMS
reaches it; the network then posts the delivery receipt back to the API, as a real SMS provider would.
RTC units (`rtc_units`) also hold a link over the broker (simulator/rtc_unit.py): their workflows push changes
to them at once, and they answer with a reply and a status report.
"""

from __future__ import annotations

import asyncio
import random

import aio_pika
import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from domain.rtc.broker import Names
from simulator.rtc_unit import SimulatedRtcUnit
from simulator.unit import SimulatedUnit


class SmsToUnit(BaseModel):
    imei: str
    message: str
    message_reference: str
    imsi: str = ""


class Fleet:
    def __init__(
        self,
        api_url: str,
        units: list[SimulatedUnit],
        interval: float,
        receipt_key: str,
        seed: int = 7,
        rtc_units: list[SimulatedUnit] = (),
        amqp_url: str = "",
        amqp_prefix: str = "",
    ):
        self.units = {unit.imei: unit for unit in units}
        self.interval = interval
        self._api_url = api_url
        self._receipt_key = receipt_key
        self._wake = {imei: asyncio.Event() for imei in self.units}
        self._random = random.Random(seed)
        self.receipts_posted = 0
        self.rtc = [SimulatedRtcUnit(unit, Names(amqp_prefix)) for unit in rtc_units]
        self._amqp_url = amqp_url

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
        link = await self._link_rtc_units() if self.rtc else None
        async with httpx.AsyncClient(base_url=self._api_url, timeout=30, limits=limits) as http:
            tasks = [asyncio.create_task(self._live(unit, http, stop)) for unit in self.units.values()]
            await stop.wait()
            if link is not None:
                await link.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _link_rtc_units(self) -> aio_pika.abc.AbstractRobustConnection:
        """One broker connection and channel for every RTC unit's link (the cellular links of the fleet)."""
        connection = await aio_pika.connect_robust(self._amqp_url, timeout=10)
        channel = await connection.channel()
        for unit in self.rtc:
            await unit.attach(channel)
        return connection

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
        rtc = f"RTC {sum(u.online for u in self.rtc)} online, {sum(len(u.received) for u in self.rtc)} MT | "
        return (
            f"{len(self.units)} units | {rtc if self.rtc else ''}enabled {enabled} | "
            f"connections {sum(u.connections for u in units)} | "
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
