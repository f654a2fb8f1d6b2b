"""`smartsolar rtc-consumer`: reads `RTC-MO` (unit messages) and `RTC-MT.Reply` (delivery reports).

Per message: process it in one transaction (domain/rtc/mo.py), commit, tell the unit's DeviceWorkflow what
changed, then acknowledge. So a consumer killed mid-message leaves it unacknowledged: the broker redelivers
it, and its message id makes the second delivery a no-op. A message that can never be processed is
published, with its reason in a header, to its queue's dead-letter exchange (confirmed), then acknowledged.
A database outage leaves the message on the broker (requeued after a pause) rather than losing it.

It scales apart from the worker (run several: the broker spreads messages), and `smartsolar run` starts one.
aio-pika's robust connection reconnects and consumes again when the broker drops the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from sqlalchemy.exc import IntegrityError, OperationalError

from clients.temporal import connect as connect_temporal
from clients.webhooks import install_dispatcher
from core.clock import utcnow
from core.settings import Settings, get_settings
from db.session import get_sessionmaker
from domain.rtc import mo
from domain.rtc.broker import Names, connect, declare_topology
from domain.rtc.dead_letters import REASON_HEADER
from domain.webhooks.hooks import install_session_hooks
from smartsolar.rtc_notify import notifier

log = logging.getLogger(__name__)

Notify = Callable[[mo.MoOutcome], Awaitable[None]]
AfterCommit = Callable[[mo.MoOutcome], Awaitable[None]]


class MoConsumer:
    def __init__(self, settings: Settings, notify: Notify | None = None) -> None:
        self.settings = settings
        self.names = Names(settings.amqp_prefix)
        self._notify = notify
        self._connection: AbstractRobustConnection | None = None
        self.processed = 0
        self.dead_lettered = 0
        self.duplicates = 0
        self._in_database = 0
        self._unit_locks: dict[tuple[str, bool], tuple[asyncio.Lock, int]] = {}
        # Tests stop the consumer between commit and ack here (as a crash would).
        self.after_commit: AfterCommit | None = None

    async def start(self) -> None:
        self._connection = await connect(self.settings, wait_seconds=10, role="consumer")
        channel = await self._connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self.settings.rtc_consumer_prefetch)
        queues = await declare_topology(channel, self.names)
        self._channel = channel
        for queue_name, reply in ((self.names.mo, False), (self.names.mt_reply, True)):
            await queues[queue_name].consume(self._handler(queue_name, reply))
        log.info("RTC consumer reading %s and %s", self.names.mo, self.names.mt_reply)

    async def stop(self) -> None:
        """Stop taking messages, then let transactions in flight finish (what they did not ack comes back)."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
        for _ in range(200):
            if not self._in_database:
                break
            await asyncio.sleep(0.05)

    @property
    def connection(self) -> AbstractRobustConnection | None:
        return self._connection

    def _handler(self, queue: str, reply: bool):
        async def on_message(message: AbstractIncomingMessage) -> None:
            await self._handle(message, queue, reply)

        return on_message

    async def _handle(self, message: AbstractIncomingMessage, queue: str, reply: bool) -> None:
        imei = _text((message.headers or {}).get("ident"))
        self._in_database += 1
        try:
            async with self._in_order(imei, reply):
                outcome = await asyncio.to_thread(self._process, imei, message.body, reply)
        except mo.Poison as poison:
            await self._dead_letter(message, queue, poison.reason)
            return
        except OperationalError as err:  # the database is away: keep the message, try again shortly
            log.warning("RTC message %s kept for later: database unavailable (%s)", message.message_id, err)
            await asyncio.sleep(1)
            await message.nack(requeue=True)
            return
        finally:
            self._in_database -= 1
        if self.after_commit is not None:
            await self.after_commit(outcome)
        if outcome.duplicate:
            self.duplicates += 1
        elif self._notify is not None:
            try:
                await self._notify(outcome)
            except Exception as err:  # noqa: BLE001 - committed; the workflow catches up from the database
                log.warning("RTC message %s: workflow not told (%s)", outcome.message_id, err)
        await message.ack()
        self.processed += 1

    @contextlib.asynccontextmanager
    async def _in_order(self, imei: str | None, reply: bool):
        """One unit's messages of one queue are processed in the order it sent them (the broker delivers them in
        order; aio-pika runs each in its own task, so without this `Disconnected` could overtake `Connected`).
        Other units' messages go on meanwhile."""
        key = (imei or "", reply)
        lock, users = self._unit_locks.get(key, (asyncio.Lock(), 0))
        self._unit_locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._unit_locks[key]
            if users == 1:
                del self._unit_locks[key]
            else:
                self._unit_locks[key] = (lock, users - 1)

    def _process(self, imei: str | None, body: bytes, reply: bool) -> mo.MoOutcome:
        session = get_sessionmaker()(info={"actor": f"unit:{imei}" if imei else "system:rtc"})
        try:
            outcome = mo.process(session, imei, body, utcnow(), self.settings, reply_queue=reply)
            session.commit()
            return outcome
        except mo.Poison:
            session.commit()  # the `failed` history row
            raise
        except IntegrityError:  # the same message committed meanwhile by another consumer
            session.rollback()
            return mo.MoOutcome(imei=imei or "", message_id="", kind=0, duplicate=True)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    async def _dead_letter(self, message: AbstractIncomingMessage, queue: str, reason: str) -> None:
        log.warning("RTC message %s dead-lettered: %s", message.message_id, reason)
        headers = dict(message.headers or {})
        headers[REASON_HEADER] = reason[:1000]
        exchange = await self._channel.get_exchange(self.names.dlx(queue), ensure=False)
        await exchange.publish(
            aio_pika.Message(
                message.body,
                message_id=message.message_id,
                headers=headers,
                timestamp=message.timestamp,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=queue,
        )
        await message.ack()
        self.dead_lettered += 1


def _text(value) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


async def run_consumer(settings: Settings, notify: Notify | None = None) -> None:
    consumer = MoConsumer(settings, notify)
    await consumer.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await consumer.stop()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s rtc-consumer %(levelname)s %(message)s")
    settings = get_settings()

    async def run() -> None:
        # It settles changes too (a unit's reply): their webhook deliveries start right after each commit.
        install_session_hooks()
        client = await connect_temporal(settings)
        install_dispatcher(client, asyncio.get_running_loop())
        await run_consumer(settings, notifier(client, settings))

    asyncio.run(run())


if __name__ == "__main__":
    main()
