"""A simulated RTC unit: the unit and its cellular link, speaking domain/rtc/encoding.py over the broker.

Online, its link binds a queue to `RTC-MT` under its IMEI and reads it. For each MT message it sends a delivery
report to `RTC-MT.Reply` (`[6, [mt id, delivered, info], id]`), then acts: a STATE is applied as an RC-GET
answer would be and answered with a STATUS report (what an RC-POST says), a SYNC with STATUS and TELEMETRY, a
COMMAND's output travels in its reply. Offline, it says `Disconnected <reason>` and unbinds, so MT messages
are refused by the broker at once (a real link would time out: the workflow's fallback covers both).
"""

from __future__ import annotations

import asyncio
import time

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from domain.rtc.broker import Names
from domain.rtc.encoding import MoType, MtType, decode, frame, state_answer
from simulator.unit import SimulatedUnit


class SimulatedRtcUnit:
    def __init__(self, unit: SimulatedUnit, names: Names, *, answers: bool = True) -> None:
        self.unit = unit
        self.names = names
        self.answers = answers  # False: takes messages but never reports (tests the fallback)
        self.received: list[tuple[int, object, str]] = []
        self.parameters: dict[str, str] = {}
        self.online = False
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None
        self.got_message = asyncio.Event()

    @property
    def imei(self) -> str:
        return self.unit.imei

    async def attach(self, channel: AbstractChannel) -> None:
        """Use `channel` (one per fleet; many units share it) and come online."""
        self._channel = channel
        self._queue = await channel.declare_queue(self.names.unit_queue(self.imei), durable=True)
        await self.go_online()

    async def go_online(self) -> None:
        exchange = await self._channel.get_exchange(self.names.mt_exchange, ensure=False)
        await self._queue.bind(exchange, routing_key=self.imei)
        self._tag = await self._queue.consume(self._on_message)
        self.online = True
        await self._send(MoType.EVENTS, [[int(time.time()), "Connected"]])

    async def go_offline(self, reason: str = "sleep-mode") -> None:
        await self._send(MoType.EVENTS, [[int(time.time()), f"Disconnected {reason}"]])
        exchange = await self._channel.get_exchange(self.names.mt_exchange, ensure=False)
        await self._queue.unbind(exchange, routing_key=self.imei)
        if self._tag is not None:
            await self._queue.cancel(self._tag)
            self._tag = None
        self.online = False

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            incoming = decode(message.body)
            self.received.append((incoming.type, incoming.body, incoming.message_id))
            self.got_message.set()
            if not self.answers:
                return
            info = None
            if incoming.type == MtType.STATE:
                self._apply_state(incoming.body)
            elif incoming.type == MtType.PARAMETERS:
                self.parameters.update({name: value for name, value in incoming.body})
            elif incoming.type == MtType.COMMAND:
                info = f"OK {incoming.body}"
            await self._send(MoType.REPLY, [bytes.fromhex(incoming.message_id), True, info], reply=True)
            if incoming.type in (MtType.STATE, MtType.SYNC, MtType.PARAMETERS):
                await self.report()
            if incoming.type == MtType.SYNC:
                await self._send(MoType.TELEMETRY, [{"battery_voltage": 13.1, "time": int(time.time())}])

    def _apply_state(self, body: dict) -> None:
        desired = state_answer(body)
        self.unit.enable_flag = desired["enable_flag"]
        self.unit.tamper_flag = desired["tamper_flag"]
        self.unit.take_commands(desired["payment_commands"])
        self.unit.take_parameters(desired)
        if desired["software"] and self.unit.installs_updates:
            self.unit.software = desired["software"]["name"]
        self.unit.connections += 1

    async def report(self) -> None:
        """A STATUS message: what an RC-POST would say."""
        await self._send(MoType.STATUS, self.unit.report())
        self.unit._acks, self.unit._final = [], None

    async def send_raw(self, body: bytes, *, reply: bool = False, message_id: str | None = None) -> None:
        queue = self.names.mt_reply if reply else self.names.mo
        message = aio_pika.Message(
            body,
            message_id=message_id,
            headers={"ident": self.imei, "ident_type": "IMEI"},
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await self._channel.default_exchange.publish(message, routing_key=queue)

    async def _send(self, kind: int, body, *, reply: bool = False) -> str:
        out = frame(kind, body)
        await self.send_raw(out.encode(), reply=reply, message_id=out.message_id)
        return out.message_id
