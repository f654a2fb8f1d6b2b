"""Publishing to the broker: MT messages to units, and republishing dead letters. One per process, shared.

It connects on first use (so the API starts without a broker and answers 503 while there is none), keeps
aio-pika's robust connection (reconnects when the broker drops it), and publishes with confirms, so a
publish that returned is on the broker. MT messages are `mandatory`: no bound unit link is an error at once.
"""

from __future__ import annotations

import asyncio
import logging

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from aio_pika.exceptions import DeliveryError

from core.settings import Settings
from domain.rtc.broker import BrokerUnavailable, Names, connect, declare_topology
from domain.rtc.dead_letters import Letter
from domain.rtc.encoding import Frame

log = logging.getLogger(__name__)


# A dropped connection shows as any of these until the robust connection is back.
BROKER_ERRORS = (
    asyncio.TimeoutError,
    aio_pika.exceptions.AMQPError,
    aiormq.exceptions.AMQPError,
    ConnectionError,
    RuntimeError,
)


class UnitNotListening(RuntimeError):
    """The broker had no queue for the unit (its link is down): the message went nowhere."""


class Publisher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.names = Names(settings.amqp_prefix)
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._lock = asyncio.Lock()

    async def channel(self) -> AbstractChannel:
        """The publishing channel; BrokerUnavailable when the broker cannot be reached now."""
        async with self._lock:
            if self._channel is None:
                connection = await connect(self.settings)
                try:
                    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
                    await declare_topology(channel, self.names)
                except BaseException:
                    await connection.close()
                    raise
                self._connection, self._channel = connection, channel
            return self._channel

    async def publish_mt(self, imei: str, frame: Frame) -> None:
        channel = await self.channel()
        exchange = await channel.get_exchange(self.names.mt_exchange, ensure=False)
        message = aio_pika.Message(
            frame.encode(),
            message_id=frame.message_id,
            headers={"ident": imei, "ident_type": "IMEI"},
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        try:
            await asyncio.wait_for(exchange.publish(message, routing_key=imei, mandatory=True), timeout=10)
        except DeliveryError as err:
            raise UnitNotListening(f"unit {imei} has no RTC link bound on the broker") from err
        except BROKER_ERRORS as err:
            raise BrokerUnavailable(f"publishing to RabbitMQ failed ({err!r})") from err

    async def publish_to_queue(self, queue: str, body: bytes, message_id: str | None, headers: dict) -> None:
        """Through the default exchange straight into `queue` (replays of dead letters)."""
        channel = await self.channel()
        message = aio_pika.Message(
            body, message_id=message_id, headers=headers, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
        )
        try:
            await asyncio.wait_for(
                channel.default_exchange.publish(message, routing_key=queue, mandatory=True), timeout=10
            )
        except (DeliveryError, *BROKER_ERRORS) as err:
            raise BrokerUnavailable(f"publishing to {queue} failed ({err!r})") from err

    async def take_dead_letter(self, queue: str) -> tuple[Letter, AbstractIncomingMessage] | None:
        """The next message waiting in `queue`'s dead-letter queue, unacknowledged (ack it once it is stored)."""
        channel = await self.channel()
        dead = await channel.get_queue(self.names.dead_letter(self.names(queue)), ensure=False)
        try:
            message = await dead.get(no_ack=False, fail=False, timeout=10)
        except BROKER_ERRORS as err:
            raise BrokerUnavailable(f"reading {dead.name} failed ({err!r})") from err
        if message is None:
            return None
        letter = Letter(
            queue, message.body, message.message_id, dict(message.headers or {}), message.timestamp
        )
        return letter, message

    async def close(self) -> None:
        async with self._lock:
            if self._connection is not None:
                await self._connection.close()
            self._connection = self._channel = None


__all__ = ["BrokerUnavailable", "Publisher", "UnitNotListening"]
