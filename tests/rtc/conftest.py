"""RTC tests on the real RabbitMQ: each test gets its own names (SMARTSOLAR_AMQP_PREFIX), deleted after it.
(No management API here and `rabbitmqctl add_vhost` costs seconds, so names, not vhosts.)"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aio_pika
import httpx
import pytest

from core.settings import get_settings
from domain.rtc.broker import Names, declare_topology
from domain.rtc.publisher import Publisher
from simulator.rtc_unit import SimulatedRtcUnit
from simulator.unit import SimulatedUnit
from smartsolar.rtc_consumer import MoConsumer
from smartsolar.rtc_notify import notifier
from tests.utils.broker import drop_topology
from tests.utils.fixtures import RunningStack, running_stack


@dataclass
class Rtc:
    names: Names
    channel: aio_pika.abc.AbstractChannel
    publisher: Publisher
    consumer: MoConsumer
    http: httpx.AsyncClient
    notified: list = field(default_factory=list)
    units: list[SimulatedRtcUnit] = field(default_factory=list)

    async def unit(self, product, **kwargs) -> SimulatedRtcUnit:
        sim = SimulatedRtcUnit(
            SimulatedUnit(product.product_imei, product.raw_device_key), self.names, **kwargs
        )
        await sim.attach(self.channel)
        self.units.append(sim)
        return sim


@pytest.fixture
async def rtc(app, db, monkeypatch) -> AsyncIterator[Rtc]:
    settings = get_settings()
    names = Names(f"test-{uuid.uuid4().hex[:10]}.")
    monkeypatch.setattr(settings, "amqp_prefix", names.prefix)
    monkeypatch.setattr(settings, "amqp_connect_timeout_seconds", 5)
    connection = await aio_pika.connect_robust(settings.amqp_url)
    channel = await connection.channel()
    await declare_topology(channel, names)
    publisher = Publisher(settings)
    app.state.rtc_publisher = publisher
    notified: list = []

    async def notify(outcome) -> None:
        notified.append(outcome)

    consumer = MoConsumer(settings, notify)
    await consumer.start()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        state = Rtc(names, channel, publisher, consumer, http, notified)
        try:
            yield state
        finally:
            await consumer.stop()
            await publisher.close()
            app.state.rtc_publisher = None
            cleanup = await connection.channel()
            await drop_topology(cleanup, names, [u.imei for u in state.units])
            await connection.close()


@pytest.fixture
async def rtc_stack(rtc, local_env, app, monkeypatch) -> AsyncIterator[tuple[Rtc, RunningStack]]:
    """The RTC fixture plus the API's workflows and a worker pushing through the test's broker names; the
    consumer tells the workflows what units replied, as `smartsolar rtc-consumer` does."""
    told = notifier(local_env.client, get_settings())

    async def notify(outcome) -> None:
        rtc.notified.append(outcome)
        await told(outcome)

    rtc.consumer._notify = notify
    async with running_stack(local_env, app, monkeypatch, publisher=rtc.publisher) as stack:
        yield rtc, stack
