"""The RabbitMQ side of RTC: names, the durable topology, and one robust connection per process (aio-pika).

Topology (declared by every process that uses the broker; declaring is idempotent):

- `RTC-MT` (direct exchange): MT messages, routing key = the unit's IMEI; each unit's link binds its own
  queue. Published `mandatory`, so a unit whose link is not bound is a failed delivery at once.
- `RTC-MO` and `RTC-MT.Reply` (queues, fed through the default exchange): what units send, and their delivery
  reports. Each has a dead-letter exchange (`<queue>.DLX`, fanout) into `<queue>.Dead-Letter`.

`SMARTSOLAR_AMQP_PREFIX` is put in front of every name (tests run on one broker side by side).
The connection is aio-pika's robust one: when the broker closes it, it reconnects and re-declares.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aio_pika
import yarl
from aio_pika.abc import AbstractChannel, AbstractQueue, AbstractRobustConnection

from core.settings import Settings

MO = "RTC-MO"
MT_REPLY = "RTC-MT.Reply"
MT_EXCHANGE = "RTC-MT"
DEAD_LETTER_SUFFIX = ".Dead-Letter"


@dataclass(frozen=True)
class Names:
    """Every broker name, with the settings' prefix."""

    prefix: str = ""

    def __call__(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def unprefixed(self, name: str) -> str:
        return name[len(self.prefix) :] if self.prefix and name.startswith(self.prefix) else name

    @property
    def mo(self) -> str:
        return self(MO)

    @property
    def mt_reply(self) -> str:
        return self(MT_REPLY)

    @property
    def mt_exchange(self) -> str:
        return self(MT_EXCHANGE)

    def dead_letter(self, queue: str) -> str:
        return f"{queue}{DEAD_LETTER_SUFFIX}"

    def dlx(self, queue: str) -> str:
        return f"{queue}.DLX"

    def unit_queue(self, imei: str) -> str:
        """The queue a unit's link reads (declared by the link, i.e. the simulator)."""
        return self(f"RTC-MT.unit.{imei}")


class BrokerUnavailable(RuntimeError):
    """No broker: RTC is off; the message says why (shown in the banner and in the API's 503)."""


async def connect(
    settings: Settings, wait_seconds: float | None = None, role: str = "publisher"
) -> AbstractRobustConnection:
    """A robust connection, named `smartsolar <role> <prefix>` in the broker's connection list."""
    name = f"smartsolar {role} {settings.amqp_prefix}".strip()
    url = yarl.URL(settings.amqp_url)
    try:
        return await aio_pika.connect_robust(
            url.update_query(name=url.query.get("name", name)),
            timeout=wait_seconds or settings.amqp_connect_timeout_seconds,
        )
    except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as err:
        raise BrokerUnavailable(
            f"RabbitMQ at {safe_url(settings.amqp_url)} is not reachable ({err})"
        ) from err


def safe_url(url: str) -> str:
    """The URL without its password, for banners and errors."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1) if "://" in url else ("amqp", url)
    return f"{scheme}://{rest.split('@', 1)[1]}"


async def declare_topology(channel: AbstractChannel, names: Names) -> dict[str, AbstractQueue]:
    """Declare everything; the two work queues by name. (Queues must be declared, not just looked up, on a
    robust channel: only declared ones are declared and consumed again after a reconnect.)"""
    await channel.declare_exchange(names.mt_exchange, aio_pika.ExchangeType.DIRECT, durable=True)
    queues = {}
    for queue in (names.mo, names.mt_reply):
        dlx = await channel.declare_exchange(names.dlx(queue), aio_pika.ExchangeType.FANOUT, durable=True)
        dead = await channel.declare_queue(names.dead_letter(queue), durable=True)
        await dead.bind(dlx)
        queues[queue] = await channel.declare_queue(
            queue, durable=True, arguments={"x-dead-letter-exchange": dlx.name}
        )
    return queues


def probe(settings: Settings) -> str | None:
    """For the run banner: None when the broker answers (and the topology is declared), else the reason."""

    async def check() -> None:
        connection = await connect(settings)
        try:
            await declare_topology(await connection.channel(), Names(settings.amqp_prefix))
        finally:
            await connection.close()

    try:
        asyncio.run(check())
    except BrokerUnavailable as err:
        return str(err)
    return None
