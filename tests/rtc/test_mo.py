"""MO messages from units on the real broker: status reports, telemetry, events, duplicates, poison."""

from __future__ import annotations

from domain.permissions import Permission
from domain.rtc.encoding import MoType, frame
from tests.rtc.helpers import connections, dead_letters, mo_rows, online_rows, product, rtc_product
from tests.utils.factories import auth_headers
from tests.utils.waiting import eventually


async def test_a_status_report_is_processed_like_an_rc_post(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    sim.unit.enable_flag = True
    await sim.report()
    await eventually(lambda: any(r.message_json.startswith("[1,") for r in mo_rows(unit.product_imei)))
    assert len(connections(unit.product_imei)) == 1
    stored = product(unit.product_imei)
    assert stored.current_enable_flag is True
    assert stored.latest_rtc_mo_status_report_time is not None
    assert {r.processing_status for r in mo_rows(unit.product_imei)} == {"processed"}
    status = online_rows(unit.product_imei)
    assert [r.connection_status for r in status] == ["online"]
    assert stored.latest_rtc_connection_history_id == status[-1].rtc_connection_history_id
    assert status[-1].latest_message_time is not None


async def test_a_message_delivered_twice_has_one_effect(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    report = frame(MoType.STATUS, {"enable_flag": False, "tamper_flag": False, "software": "3.6"})
    for _ in range(2):
        await sim.send_raw(report.encode(), message_id=report.message_id)
    await eventually(lambda: rtc.consumer.duplicates >= 1)
    assert len(connections(unit.product_imei)) == 1
    assert [r.message_reference for r in mo_rows(unit.product_imei)].count(report.message_id) == 1


async def test_telemetry_and_online_events(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)  # says Connected
    await sim._send(MoType.TELEMETRY, [{"battery_voltage": 12.9}])
    await sim.go_offline("low-battery-voltage")
    await eventually(
        lambda: [r.connection_status for r in online_rows(unit.product_imei)] == ["online", "offline"]
    )
    offline = online_rows(unit.product_imei)[-1]
    assert offline.connection_status_reason == "low-battery-voltage"
    assert product(unit.product_imei).latest_rtc_connection_history_id == offline.rtc_connection_history_id
    await eventually(lambda: len(mo_rows(unit.product_imei)) == 3)
    assert any(r.processing_status_info == "1 readings" for r in mo_rows(unit.product_imei))
    await sim.go_online()  # back: a new online row
    await eventually(lambda: [r.connection_status for r in online_rows(unit.product_imei)][-1] == "online")
    assert any(o.went_online for o in rtc.notified)


async def test_poison_is_dead_lettered_imported_decoded_and_replayed_after_a_fix(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    headers = auth_headers(db, Permission.ADMIN)
    bad = frame(MoType.STATUS, {"enable_flag": "yes", "software": "3.6"})  # tamper_flag missing, wrong type
    await sim.send_raw(bad.encode(), message_id=bad.message_id)
    await sim.send_raw(b"\xff garbage")
    await eventually(lambda: rtc.consumer.dead_lettered == 2)
    assert [r.processing_status for r in mo_rows(unit.product_imei) if r.processing_status == "failed"]

    imported = await rtc.http.post("/v1/rtc_import_mo_dead_letters", headers=headers)
    assert imported.status_code == 200, imported.text
    assert imported.json()["message"] == "MO dead letters imported"
    assert imported.json()["data"] == {"imported": 2}
    letters = dead_letters()
    assert [r.queue_name for r in letters] == ["RTC-MO", "RTC-MO"]
    again = await rtc.http.post("/v1/rtc_import_mo_dead_letters", headers=headers)
    assert again.json()["data"] == {"imported": 0}  # the queue was emptied, once each

    first, garbage = sorted(letters, key=lambda r: "not CBOR" in r.payload)
    decoded = await rtc.http.get(f"/v1/rtc_dead_letters/{first.rtc_dead_letter_id}/decode", headers=headers)
    assert decoded.json()["message"] == "Dead letter message decoded"
    assert decoded.json()["data"].startswith("Decoded message: [1, {'enable_flag': 'yes'")
    assert "invalid body" in decoded.json()["data"]

    fixed = await rtc.http.put(f"/v1/rtc_dead_letters/{garbage.rtc_dead_letter_id}/discard", headers=headers)
    assert fixed.json()["message"] == "Dead letter message discarded"
    replayed = await rtc.http.put(f"/v1/rtc_dead_letters/{first.rtc_dead_letter_id}/replay", headers=headers)
    assert replayed.status_code == 200 and replayed.json()["message"] == "Dead letter message replayed"
    await eventually(lambda: rtc.consumer.dead_lettered == 3)  # still poison: back in the dead-letter queue
    (row,) = [r for r in dead_letters() if r.rtc_dead_letter_id == first.rtc_dead_letter_id]
    assert (row.status, row.replay_status) == ("replayed", "success") and row.replay_status_time
    twice = await rtc.http.put(f"/v1/rtc_dead_letters/{first.rtc_dead_letter_id}/replay", headers=headers)
    assert twice.status_code == 409
    gone = await rtc.http.put(f"/v1/rtc_dead_letters/{garbage.rtc_dead_letter_id}/replay", headers=headers)
    assert gone.status_code == 409


async def test_a_message_from_an_unknown_unit_replays_once_the_unit_exists(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    sim.unit.imei = "990000000000777"  # a unit the database does not know yet
    await sim.report()
    await eventually(lambda: rtc.consumer.dead_lettered == 1)
    headers = auth_headers(db, Permission.ADMIN)
    await rtc.http.post("/v1/rtc_import_mo_dead_letters", headers=headers)
    (letter,) = dead_letters()
    rtc_product(db, imei="990000000000777")  # the fix
    replayed = await rtc.http.put(f"/v1/rtc_dead_letters/{letter.rtc_dead_letter_id}/replay", headers=headers)
    assert replayed.status_code == 200
    await eventually(lambda: len(connections("990000000000777")) == 1)
    assert rtc.consumer.dead_lettered == 1
