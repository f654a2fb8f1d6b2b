"""sync, status_update, command_request, rtc_online_status and force_connection on the real broker, with a
simulated RTC unit answering; no broker is a 503 saying why; ENTITY scope everywhere."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from db.models.software import Parameter, ParameterType
from domain.permissions import Permission, Scope
from domain.rtc.encoding import MtType
from domain.rtc.publisher import Publisher
from tests.rtc.helpers import mo_rows, mt_rows, online_rows, rtc_product
from tests.utils.factories import auth_headers, make_entity, make_product
from tests.utils.waiting import eventually


def delivered(imei: str, reference: str):
    return next((r for r in mt_rows(imei) if r.message_reference == reference and r.delivery_status), None)


async def test_sync_asks_for_status_and_telemetry_and_settles_on_the_reply(rtc, db):
    unit = rtc_product(db)
    await rtc.unit(unit)
    r = await rtc.http.post(
        f"/v1/products/{unit.product_imei}/sync", headers=auth_headers(db, Permission.TECHNICAL)
    )
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "sync request successfully sent"
    row = await eventually(lambda: delivered(unit.product_imei, r.json()["data"]["message_reference"]))
    assert row.delivery_status == "delivered" and row.message_json.startswith("[1,null,")
    # the unit answered with a status report and telemetry
    await eventually(
        lambda: {m.message_json[:3] for m in mo_rows(unit.product_imei)} >= {"[1,", "[2,", "[6,"}
    )


async def test_status_update_sends_the_latest_parameter_values(rtc, db):
    unit = rtc_product(db)
    kind = ParameterType(name="max_load", data_type="int", repeatable=False, setting=True)
    db.add(kind)
    db.flush()
    db.add(
        Parameter(
            parameter_type_id=kind.parameter_type_id,
            product_imei=unit.product_imei,
            value="40",
            status="active",
        )
    )
    db.commit()
    sim = await rtc.unit(unit)
    r = await rtc.http.post(
        f"/v1/products/{unit.product_imei}/status_update", headers=auth_headers(db, Permission.TECHNICAL)
    )
    assert r.json()["message"] == "status update successfully sent"
    await eventually(lambda: delivered(unit.product_imei, r.json()["data"]["message_reference"]))
    assert sim.parameters == {"max_load": "40"}
    db.expire_all()
    assert db.get(type(unit), unit.product_imei).latest_rtc_mt_status_update_time is not None


async def test_command_request_stores_the_units_reply(rtc, db):
    unit = rtc_product(db)
    await rtc.unit(unit)
    headers = auth_headers(db, Permission.ADMIN)
    url = f"/v1/products/{unit.product_imei}/command_request"
    r = await rtc.http.post(url, json={"command": "atc 60 AT+CPOL=?;+COPS=?"}, headers=headers)
    assert r.status_code == 200 and r.json()["message"] == "command successfully sent"
    row = await eventually(lambda: delivered(unit.product_imei, r.json()["data"]["message_reference"]))
    assert row.delivery_status_info == "OK atc 60 AT+CPOL=?;+COPS=?"
    for bad in ({}, {"command": ""}, {"command": 5}, {"command": "x", "other": 1}, {"command": "a\nb"}):
        assert (await rtc.http.post(url, json=bad, headers=headers)).status_code == 400
    too_low = await rtc.http.post(url, json={"command": "x"}, headers=auth_headers(db, Permission.TECHNICAL))
    assert too_low.status_code == 403


async def test_an_offline_unit_and_a_non_rtc_unit_are_refused(rtc, db):
    headers = auth_headers(db, Permission.TECHNICAL)
    plain = make_product(db)
    assert (
        await rtc.http.post(f"/v1/products/{plain.product_imei}/sync", headers=headers)
    ).status_code == 400
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    await sim.go_offline()
    r = await rtc.http.post(f"/v1/products/{unit.product_imei}/sync", headers=headers)
    assert r.status_code == 409, r.text
    assert [row.delivery_status for row in mt_rows(unit.product_imei)] == ["failed"]


async def test_rtc_online_status_set_by_hand(rtc, db):
    unit = rtc_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    url = f"/v1/products/{unit.product_imei}/rtc_online_status"
    for status in ("online", "offline"):
        r = await rtc.http.post(url, json={"status": status}, headers=headers)
        assert r.status_code == 200 and r.json() == {
            "status": "success",
            "message": "RTC online status set",
            "data": {},
        }
    rows = online_rows(unit.product_imei)
    assert [(x.connection_status, x.connection_status_reason) for x in rows] == [
        ("online", "user-request"),
        ("offline", "user-request"),
    ]
    assert (await rtc.http.post(url, json={"status": "asleep"}, headers=headers)).status_code == 400


async def test_force_connection_sends_an_rtc_unit_a_sync(rtc, db):
    unit = rtc_product(db)
    sim = await rtc.unit(unit)
    r = await rtc.http.post(
        f"/v1/products/{unit.product_imei}/force_connection", headers=auth_headers(db, Permission.ADMIN)
    )
    assert r.status_code == 200 and r.json()["message"] == "Force connection request sent"
    await eventually(lambda: [kind for kind, _, _ in sim.received] == [MtType.SYNC])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/v1/products/{imei}/sync", None),
        ("post", "/v1/products/{imei}/status_update", None),
        ("post", "/v1/products/{imei}/command_request", {"command": "x"}),
        ("post", "/v1/products/{imei}/rtc_online_status", {"status": "online"}),
        ("post", "/v1/products/{imei}/force_connection", None),
    ],
)
async def test_another_entitys_unit_is_not_found(rtc, db, method, path, body):
    mine, theirs = make_entity(db), make_entity(db)
    unit = rtc_product(db, entity=theirs)
    headers = auth_headers(db, Permission.SYSTEM, scope=Scope.ENTITY, entity_id=mine.entity_id)
    kwargs = {"json": body} if body is not None else {}
    r = await getattr(rtc.http, method)(path.format(imei=unit.product_imei), headers=headers, **kwargs)
    assert r.status_code == 404, r.text
    assert mt_rows(unit.product_imei) == [] and online_rows(unit.product_imei) == []


async def test_no_broker_is_a_503_with_the_reason(app, db, monkeypatch):
    import httpx

    settings = get_settings()
    monkeypatch.setattr(settings, "amqp_url", "amqp://guest:guest@127.0.0.1:1/")
    monkeypatch.setattr(settings, "amqp_connect_timeout_seconds", 1)
    app.state.rtc_publisher = Publisher(settings)
    unit = rtc_product(db)
    headers = auth_headers(db, Permission.ADMIN)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            for path in ("/v1/products/{imei}/sync", "/v1/rtc_import_mo_dead_letters"):
                r = await http.post(path.format(imei=unit.product_imei), headers=headers)
                assert r.status_code == 503, r.text
                assert r.json()["message"].startswith(
                    "RTC is off: RabbitMQ at amqp://127.0.0.1:1/ is not reachable"
                )
            assert mt_rows(unit.product_imei) == []  # nothing half-written
            assert (await http.get("/v1/home")).status_code != 503  # the rest works
    finally:
        app.state.rtc_publisher = None
