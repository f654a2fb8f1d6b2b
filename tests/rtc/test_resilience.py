"""Crashes and broker drops: the consumer killed between commit and ack, the broker closing connections."""

from __future__ import annotations

import asyncio
import subprocess

from core.settings import get_settings
from domain.permissions import Permission, Scope
from domain.rtc.encoding import MoType, frame
from smartsolar.rtc_consumer import MoConsumer
from tests.rtc.helpers import connections, dead_letters, mo_rows, mt_rows, rtc_product
from tests.utils.factories import auth_headers, make_entity
from tests.utils.waiting import eventually


async def test_a_consumer_killed_mid_message_is_redelivered_and_applied_once(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    await eventually(lambda: rtc.consumer.processed >= 1)  # its Connected event
    crashed = asyncio.Event()

    async def crash(_outcome) -> None:  # committed, not acknowledged: the process dies here
        crashed.set()
        await asyncio.sleep(3600)

    rtc.consumer.after_commit = crash
    report = frame(MoType.STATUS, {"enable_flag": True, "tamper_flag": False, "software": "3.6"})
    await sim.send_raw(report.encode(), message_id=report.message_id)
    await asyncio.wait_for(crashed.wait(), 10)
    await asyncio.wait_for(rtc.consumer.stop(), 10)  # its connection goes; the message was never acknowledged
    assert len(connections(unit.product_imei)) == 1

    second = MoConsumer(get_settings())
    await second.start()
    try:
        await eventually(lambda: second.duplicates == 1)  # the broker redelivered it
    finally:
        await second.stop()
    assert len(connections(unit.product_imei)) == 1
    assert [r.message_reference for r in mo_rows(unit.product_imei)].count(report.message_id) == 1


def close_broker_connections(prefix: str) -> int:
    """Close, from the broker's side, every connection whose name carries `prefix`."""
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "--no-table-headers", "pid", "client_properties"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pids = [
        line.split("\t")[0]
        for line in listed.stdout.splitlines()
        if '"smartsolar ' in line and prefix in line
    ]
    for pid in pids:
        subprocess.run(
            ["rabbitmqctl", "-q", "close_connection", pid, "test: broker drops the connection"],
            check=True,
            timeout=60,
            capture_output=True,
        )
    return len(pids)


async def test_consumer_and_publisher_reconnect_when_the_broker_drops_them(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    headers = auth_headers(db, Permission.TECHNICAL)
    assert (await rtc.http.post(f"/v1/products/{unit.product_imei}/sync", headers=headers)).status_code == 200
    await eventually(lambda: len(connections(unit.product_imei)) == 1)

    closed = await asyncio.to_thread(close_broker_connections, rtc.names.prefix)
    assert closed == 2  # the consumer's and the publisher's

    # meanwhile the unit reports; nothing is lost while the consumer reconnects
    await sim.report()

    async def sync_sent() -> str | None:  # 503 while the publisher reconnects, then 200
        r = await rtc.http.post(f"/v1/products/{unit.product_imei}/sync", headers=headers)
        assert r.status_code in (200, 503), r.text
        return r.json()["data"]["message_reference"] if r.status_code == 200 else None

    reference = await eventually(sync_sent, within=30, every=0.5)
    await eventually(lambda: len(connections(unit.product_imei)) >= 3, within=30)

    def status_of(reference: str) -> str | None:
        return next(r.delivery_status for r in mt_rows(unit.product_imei) if r.message_reference == reference)

    await eventually(lambda: status_of(reference) == "delivered")
    # A sync answered 503 was published into a dropped connection: its row says `failed`, never nothing.
    assert all(row.delivery_status in ("delivered", "failed") for row in mt_rows(unit.product_imei))


async def test_dead_letters_are_scoped(rtc, db):
    mine, theirs = make_entity(db), make_entity(db)
    unit = rtc_product(db, entity=theirs)
    sim = await rtc.unit(unit)
    await sim.send_raw(frame(MoType.STATUS, {"bad": 1}).encode())
    await eventually(lambda: rtc.consumer.dead_lettered == 1)
    admin = auth_headers(db, Permission.ADMIN)
    assert (await rtc.http.post("/v1/rtc_import_mo_dead_letters", headers=admin)).status_code == 200
    (letter,) = dead_letters()
    outsider = auth_headers(db, Permission.SYSTEM, scope=Scope.ENTITY, entity_id=mine.entity_id)
    insider = auth_headers(db, Permission.SYSTEM, scope=Scope.ENTITY, entity_id=theirs.entity_id)
    assert (await rtc.http.post("/v1/rtc_import_mo_dead_letters", headers=outsider)).status_code == 403
    assert (await rtc.http.post("/v1/rtc_import_mt_reply_dead_letters", headers=outsider)).status_code == 403
    base = f"/v1/rtc_dead_letters/{letter.rtc_dead_letter_id}"
    for call in ("put", f"{base}/replay"), ("put", f"{base}/discard"), ("get", f"{base}/decode"):
        assert (await getattr(rtc.http, call[0])(call[1], headers=outsider)).status_code == 404
    assert (await rtc.http.get(f"{base}/decode", headers=insider)).status_code == 200
    low = auth_headers(db, Permission.TECHNICAL)
    assert (await rtc.http.put(f"{base}/discard", headers=low)).status_code == 403
    assert (await rtc.http.get("/v1/rtc_dead_letters/999999/decode", headers=admin)).status_code == 404
