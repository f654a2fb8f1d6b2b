"""`smartsolar rtc-consumer`: reads `RTC-MO` (unit messages) and `RTC-MT.Reply` (delivery reports).

Each queue's messages are taken in steps: whatever has arrived (up to `RTC_CONSUMER_BATCH`, at most one message
per unit), its status reports applied in one transaction (domain/rtc/mo_batch.py), the rest one by one
(domain/rtc/mo.py), then each unit's DeviceWorkflow is told what changed, then every message is acknowledged.
So a consumer killed after a commit leaves its messages unacknowledged: the broker redelivers them, and their
message ids make the second delivery a no-op. A unit's later messages wait for the next step, so one unit's
messages apply in the order it sent them. A batch that fails is rolled back and its messages processed one by
one: a message that can never be processed is published, with its reason in a header, to its queue's
dead-letter exchange (confirmed), then acknowledged; the others are applied. A database outage leaves the
messages on the broker (requeued after a pause) rather than losing them.

It scales apart from the worker (run several: the broker spreads messages), and `smartsolar run` starts one.
aio-pika's robust connection reconnects and consumes again when the broker drops the connection.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections import deque
from collections.abc import Awaitable, Callable

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from sqlalchemy.exc import IntegrityError, OperationalError

from clients.temporal import connect as connect_temporal
from clients.webhooks import install_dispatcher
from core.clock import utcnow
from core.settings import Settings, get_settings
from db.session import get_sessionmaker
from domain.rtc import mo, mo_batch
from domain.rtc.broker import Names, connect, declare_topology
from domain.rtc.dead_letters import REASON_HEADER
from domain.webhooks.hooks import install_session_hooks
from smartsolar.rtc_notify import notifier

log = logging.getLogger(__name__)

Notify = Callable[[mo.MoOutcome], Awaitable[None]]
AfterCommit = Callable[[mo.MoOutcome], Awaitable[None]]
Result = mo.MoOutcome | mo.Poison | OperationalError


class MoConsumer:
    def __init__(self, settings: Settings, notify: Notify | None = None) -> None:
        self.settings = settings
        self.names = Names(settings.amqp_prefix)
        self._notify = notify
        self._connection: AbstractRobustConnection | None = None
        self.processed = 0
        self.dead_lettered = 0
        self.duplicates = 0
        self.batches = 0  # transactions that applied more than one message
        self._in_database = 0
        self._waiting: dict[bool, deque[AbstractIncomingMessage]] = {False: deque(), True: deque()}
        self._arrived = {False: asyncio.Event(), True: asyncio.Event()}
        self._steps: list[asyncio.Task] = []
        # Tests stop the consumer between commit and ack here (as a crash would).
        self.after_commit: AfterCommit | None = None

    async def start(self) -> None:
        self._connection = await connect(self.settings, wait_seconds=10, role="consumer")
        channel = await self._connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self.settings.rtc_consumer_prefetch)
        queues = await declare_topology(channel, self.names)
        self._channel = channel
        for queue_name, reply in ((self.names.mo, False), (self.names.mt_reply, True)):
            self._steps.append(asyncio.create_task(self._drain(queue_name, reply)))
            await queues[queue_name].consume(self._handler(reply))
        log.info("RTC consumer reading %s and %s", self.names.mo, self.names.mt_reply)

    async def stop(self) -> None:
        """Stop taking messages, then let transactions in flight finish (what they did not ack comes back)."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
        for waiting in self._waiting.values():
            waiting.clear()
        for _ in range(200):
            if not self._in_database:
                break
            await asyncio.sleep(0.05)
        for task in self._steps:
            task.cancel()
        self._steps.clear()

    @property
    def connection(self) -> AbstractRobustConnection | None:
        return self._connection

    def _handler(self, reply: bool):
        async def on_message(message: AbstractIncomingMessage) -> None:
            # aio-pika runs each message in its own task, started in delivery order: nothing awaits before
            # the append, so the queue keeps the order the broker delivered.
            self._waiting[reply].append(message)
            self._arrived[reply].set()

        return on_message

    async def _drain(self, queue: str, reply: bool) -> None:
        waiting, arrived = self._waiting[reply], self._arrived[reply]
        while True:
            await arrived.wait()
            arrived.clear()
            while waiting:
                step = _take(waiting, self.settings.rtc_consumer_batch)
                try:
                    await self._step(step, queue, reply)
                except Exception:  # noqa: BLE001 - unacknowledged messages come back; keep consuming
                    log.exception("RTC step of %d messages failed", len(step))

    async def _step(self, messages: list[AbstractIncomingMessage], queue: str, reply: bool) -> None:
        items = [(_text((m.headers or {}).get("ident")), m.body) for m in messages]
        self._in_database += 1
        try:
            results = await asyncio.to_thread(self._process_step, items, reply)
        finally:
            self._in_database -= 1
        outcomes = [(m, r) for m, r in zip(messages, results, strict=True) if isinstance(r, mo.MoOutcome)]
        if any(isinstance(r, OperationalError) for r in results):
            await asyncio.sleep(1)  # the database is away: keep the messages, try again shortly
        for message, result in zip(messages, results, strict=True):
            if isinstance(result, mo.Poison):
                await self._dead_letter(message, queue, result.reason)
            elif isinstance(result, OperationalError):
                log.warning(
                    "RTC message %s kept for later: database unavailable (%s)", message.message_id, result
                )
                await message.nack(requeue=True)
        if self.after_commit is not None:
            for _, outcome in outcomes:
                await self.after_commit(outcome)
        await asyncio.gather(*(self._tell(outcome) for _, outcome in outcomes))
        for message, _ in outcomes:
            await message.ack()
            self.processed += 1

    async def _tell(self, outcome: mo.MoOutcome) -> None:
        if outcome.duplicate:
            self.duplicates += 1
        elif self._notify is not None:
            try:
                await self._notify(outcome)
            except Exception as err:  # noqa: BLE001 - committed; the workflow catches up from the database
                log.warning("RTC message %s: workflow not told (%s)", outcome.message_id, err)

    def _process_step(self, items: list[tuple[str | None, bytes]], reply: bool) -> list[Result]:
        """In a thread: the batch's transaction, then each message left alone in its own, in order."""
        results: list[Result | None] = [None] * len(items)
        batched, alone = mo_batch.split(items, reply_queue=reply)
        if batched:
            try:
                outcomes, unknown = self._process_batch(batched)
            except OperationalError as err:
                return [err] * len(items)
            except Exception as err:  # noqa: BLE001 - e.g. another consumer's duplicate: each alone
                log.warning("RTC batch of %d rolled back, processing each alone: %s", len(batched), err)
                outcomes, unknown = {}, [r.index for r in batched]
            for index, outcome in outcomes.items():
                results[index] = outcome
            alone = sorted(alone + unknown)
        for index in alone:
            imei, body = items[index]
            try:
                results[index] = self._process(imei, body, reply)
            except (mo.Poison, OperationalError) as err:
                results[index] = err
            except Exception as err:  # noqa: BLE001 - e.g. a value the database refuses: it never will take it
                log.exception("RTC message from %s failed alone", imei)
                detail = getattr(err, "orig", None) or err  # the database's words, not the whole statement
                results[index] = mo.Poison(f"{type(err).__name__}: {detail}".strip()[:1000], imei)
        return results

    def _process_batch(self, reports: list[mo_batch.Report]) -> tuple[dict[int, mo.MoOutcome], list[int]]:
        session = get_sessionmaker()(info={"actor": mo_batch.SYSTEM_ACTOR, "actor_of": mo_batch.row_actor})
        try:
            outcomes, unknown = mo_batch.process_batch(session, reports, utcnow(), self.settings)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if len(outcomes) > 1:
            self.batches += 1
        return outcomes, unknown

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


def _take(waiting: deque[AbstractIncomingMessage], limit: int) -> list[AbstractIncomingMessage]:
    """Up to `limit` messages, each unit's first only; the rest stay, in order (a unit's later messages wait
    for the next step, so they never overtake the one before)."""
    taken: list[AbstractIncomingMessage] = []
    kept: list[AbstractIncomingMessage] = []
    units: set[str | None] = set()
    for message in waiting:
        imei = _text((message.headers or {}).get("ident"))
        (taken if len(taken) < limit and imei not in units else kept).append(message)
        units.add(imei)
    waiting.clear()
    waiting.extend(kept)
    return taken


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
