"""Status reports of several units in one transaction: each applied once, in each unit's order, a bad one
dead-lettered without failing the others, a batch killed between commit and ack redelivered and applied once.

The consumer's step (what it does in its thread with the messages it took) is called directly where the test
must know which messages share a transaction; the broker path is the crash test's."""

from __future__ import annotations

import asyncio

from core.settings import get_settings
from domain.rtc import mo
from domain.rtc.dead_letters import REASON_HEADER
from domain.rtc.encoding import MoType, frame
from smartsolar.rtc_consumer import MoConsumer
from tests.rtc.helpers import connections, mo_rows, online_rows, product, rtc_product
from tests.utils.waiting import eventually


def status(enable: bool = True, **extra) -> bytes:
    return frame(
        MoType.STATUS, {"enable_flag": enable, "tamper_flag": False, "software": "3.6", **extra}
    ).encode()


async def test_reports_of_several_units_in_one_batch_are_each_applied_once(rtc, db):
    units = [rtc_product(db) for _ in range(4)]
    items = [(u.product_imei, status()) for u in units]
    results = await asyncio.to_thread(rtc.consumer._process_step, items, False)
    assert all(isinstance(r, mo.MoOutcome) and not r.duplicate for r in results)
    assert rtc.consumer.batches == 1
    for unit in units:
        imei = unit.product_imei
        (row,) = mo_rows(imei)
        assert (row.processing_status, row.created_by) == ("processed", f"unit:{imei}")
        (connection,) = connections(imei)
        assert row.processing_status_info == f"connection {connection.connection_id}"
        stored = product(imei)
        assert stored.current_enable_flag is True and stored.latest_connection_id == connection.connection_id
        assert stored.latest_rtc_mo_status_report_time is not None
        assert [r.connection_status for r in online_rows(imei)] == ["online"]

    again = await asyncio.to_thread(rtc.consumer._process_step, items, False)  # redelivered
    assert all(r.duplicate for r in again)
    assert all(len(connections(u.product_imei)) == 1 and len(mo_rows(u.product_imei)) == 1 for u in units)


async def test_a_units_later_messages_apply_after_its_first_in_order(rtc, db):
    first, other = rtc_product(db), rtc_product(db)
    a, b = first.product_imei, other.product_imei
    events = frame(MoType.EVENTS, [[1700000000, "Disconnected sleep-mode"]]).encode()
    items = [(a, status(True)), (a, events), (b, status(True)), (a, status(False))]
    results = await asyncio.to_thread(rtc.consumer._process_step, items, False)
    assert all(isinstance(r, mo.MoOutcome) for r in results)
    assert len(connections(a)) == 2 and len(connections(b)) == 1
    assert product(a).current_enable_flag is False  # its last report, applied last
    # online from its first report, offline from its event, online again from its last report
    assert [r.connection_status for r in online_rows(a)] == ["online", "offline", "online"]


async def test_a_bad_report_amid_a_batch_is_dead_lettered_and_the_others_applied(rtc, db):
    good, invalid, refused, other = (rtc_product(db) for _ in range(4))
    items = [
        (good.product_imei, status()),
        (invalid.product_imei, status(enable="yes")),  # fails validation: never batched
        (refused.product_imei, status(mcc=2**40)),  # valid, but the database refuses it: the batch fails
        (other.product_imei, status()),
        (None, status()),  # no `ident`
    ]
    results = await asyncio.to_thread(rtc.consumer._process_step, items, False)
    assert [type(r).__name__ for r in results] == ["MoOutcome", "Poison", "Poison", "MoOutcome", "Poison"]
    assert "invalid body" in results[1].reason and "DataError" in results[2].reason
    assert rtc.consumer.batches == 0  # rolled back, then each alone
    for unit in (good, other):
        assert len(connections(unit.product_imei)) == 1
        assert [r.processing_status for r in mo_rows(unit.product_imei)] == ["processed"]
    assert connections(invalid.product_imei) == connections(refused.product_imei) == []
    assert [r.processing_status for r in mo_rows(invalid.product_imei)] == ["failed"]


async def test_a_bad_report_amid_a_batch_on_the_broker_goes_to_the_dead_letter_queue(rtc, db):
    units = [rtc_product(db) for _ in range(3)]
    sims = [await rtc.unit(u) for u in units]  # each says Connected
    await eventually(lambda: rtc.consumer.processed >= 3)
    await rtc.consumer.stop()
    for sim in sims:
        await sim.send_raw(status(mcc=2**40) if sim is sims[1] else status())
    consumer = MoConsumer(get_settings())
    await consumer.start()
    try:
        await eventually(lambda: consumer.processed == 2 and consumer.dead_lettered == 1)
    finally:
        await consumer.stop()
    assert [len(connections(u.product_imei)) for u in units] == [1, 0, 1]
    dead = await rtc.channel.declare_queue(rtc.names.dead_letter(rtc.names.mo), durable=True)
    letter = await dead.get(no_ack=True, timeout=10)
    assert letter.headers["ident"] == units[1].product_imei
    assert "DataError" in letter.headers[REASON_HEADER]
    assert await dead.get(no_ack=True, fail=False) is None  # only the bad one


async def test_a_batch_killed_between_commit_and_ack_is_redelivered_and_applied_once(rtc, db):
    units = [rtc_product(db) for _ in range(3)]
    sims = [await rtc.unit(u) for u in units]
    await eventually(lambda: rtc.consumer.processed >= 3)  # their Connected events
    await rtc.consumer.stop()
    for sim in sims:  # waiting on the broker: the next consumer takes them together
        await sim.send_raw(status())

    crashed = asyncio.Event()

    async def crash(_outcome) -> None:  # committed, not acknowledged: the process dies here
        crashed.set()
        await asyncio.sleep(3600)

    first = MoConsumer(get_settings())
    first.after_commit = crash
    await first.start()
    await asyncio.wait_for(crashed.wait(), 30)
    await asyncio.wait_for(first.stop(), 10)
    committed = sum(len(connections(u.product_imei)) for u in units)
    assert committed >= 1 and first.processed == 0

    second = MoConsumer(get_settings())
    await second.start()
    try:
        await eventually(lambda: second.processed == 3)  # all three redelivered
    finally:
        await second.stop()
    assert second.duplicates == committed  # what the first committed had no second effect
    assert [len(connections(u.product_imei)) for u in units] == [1, 1, 1]
    assert all([r.processing_status for r in mo_rows(u.product_imei)].count("processed") == 2 for u in units)
