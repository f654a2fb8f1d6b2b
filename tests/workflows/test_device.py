"""Device workflows end to end through the API on the real dev server: pending changes settle on RC-GET."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models.history import EnableHistory, SmsHistory, TamperEnableHistory
from db.models.product import Product
from db.session import get_sessionmaker
from domain.permissions import Permission, Scope
from tests.utils.factories import auth_headers, make_entity, make_product, run_software, unit_auth
from tests.utils.waiting import eventually


def history(model, imei: str) -> list[tuple[str | None, str]]:
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(model)
            .where(model.product_imei == imei)
            .order_by(model.date, list(model.__table__.primary_key)[0])
        )
        return [(row.prev_enable_state, row.current_enable_state) for row in rows]


def product(imei: str) -> Product:
    with get_sessionmaker()() as session:
        return session.get(Product, imei)


def sms_rows(imei: str) -> list[SmsHistory]:
    with get_sessionmaker()() as session:
        return list(
            session.scalars(
                select(SmsHistory).where(SmsHistory.product_imei == imei).order_by(SmsHistory.sms_history_id)
            )
        )


async def rc_get(stack, unit) -> dict:
    response = await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    assert response.status_code == 200, response.text
    return response.json()


async def finished(stack, imei: str) -> None:
    await stack.client.get_workflow_handle(f"device/{imei}").result()


async def test_enable_is_pending_until_the_unit_connects(stack, db):
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    r = await stack.http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"status": "success", "message": "Product enabled", "data": None}
    assert history(EnableHistory, unit.product_imei) == [("disabled", "pending_enabled")]
    assert product(unit.product_imei).desired_enable_flag is True
    assert product(unit.product_imei).current_enable_flag is False

    answer = await rc_get(stack, unit)
    assert answer["enable_flag"] is True and answer["tamper_flag"] is False
    await finished(stack, unit.product_imei)
    assert history(EnableHistory, unit.product_imei) == [
        ("disabled", "pending_enabled"),
        ("pending_enabled", "enabled"),
    ]
    settled = product(unit.product_imei)
    assert settled.current_enable_flag is True
    with get_sessionmaker()() as session:
        latest = session.get(EnableHistory, settled.latest_enable_history_id)
        assert latest.current_enable_state == "enabled"


async def test_disable_while_enable_pending_replaces_it(stack, db):
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    await stack.http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
    await stack.http.put(f"/v1/products/{unit.product_imei}/disable", headers=headers)
    answer = await rc_get(stack, unit)
    assert answer["enable_flag"] is False
    await finished(stack, unit.product_imei)
    assert history(EnableHistory, unit.product_imei) == [
        ("disabled", "pending_enabled"),
        ("pending_enabled", "pending_disabled"),
        ("pending_disabled", "disabled"),
    ]


async def test_repeated_requests_and_rc_gets_apply_once(stack, db):
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    for _ in range(3):  # the technician's app retried
        r = await stack.http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
        assert r.json()["status"] == "success"
    assert history(EnableHistory, unit.product_imei) == [("disabled", "pending_enabled")]
    await rc_get(stack, unit)
    await rc_get(stack, unit)
    await finished(stack, unit.product_imei)
    await rc_get(stack, unit)  # the workflow is gone: nothing pending, nothing to start
    assert history(EnableHistory, unit.product_imei) == [
        ("disabled", "pending_enabled"),
        ("pending_enabled", "enabled"),
    ]
    r = await stack.http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
    assert r.json() == {"status": "success", "message": "Product enabled", "data": None}
    assert len(history(EnableHistory, unit.product_imei)) == 2


async def test_tamper_switch(stack, db):
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    r = await stack.http.put(f"/v1/products/{unit.product_imei}/enable_tamper_switch", headers=headers)
    assert r.json()["message"] == f"Product #{unit.product_imei} tamper_switch_enabled"
    assert history(TamperEnableHistory, unit.product_imei) == [("disabled", "pending_enabled")]
    assert history(EnableHistory, unit.product_imei) == []
    answer = await rc_get(stack, unit)
    assert answer["tamper_flag"] is True and answer["enable_flag"] is False
    await finished(stack, unit.product_imei)
    assert history(TamperEnableHistory, unit.product_imei)[-1] == ("pending_enabled", "enabled")
    assert product(unit.product_imei).current_tamper_flag is True
    r = await stack.http.put(f"/v1/products/{unit.product_imei}/disable_tamper_switch", headers=headers)
    assert r.json()["message"] == f"Product #{unit.product_imei} tamper_switch_disabled"
    assert history(TamperEnableHistory, unit.product_imei)[-1] == ("enabled", "pending_disabled")


@pytest.mark.parametrize("software, wakes", [("3.6", True), ("hub-stc-2", True), ("2.14", False)])
async def test_wakeup_sent_only_for_listed_software(stack, db, software, wakes):
    unit = make_product(db)
    run_software(db, unit, software)
    headers = auth_headers(db, Permission.TECHNICAL)
    await stack.http.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
    if not wakes:
        await rc_get(stack, unit)
        await finished(stack, unit.product_imei)
        assert sms_rows(unit.product_imei) == [] and stack.gateway.sent == []
        return
    rows = await eventually(lambda: sms_rows(unit.product_imei))
    pending_id = history_ids(unit.product_imei)[0]
    assert [(r.trigger, r.attempted_retries, r.status, r.enable_history_id) for r in rows] == [
        ("wakeup", 0, None, pending_id)
    ]
    assert (rows[0].sms_timeout - rows[0].sent_time).total_seconds() == 3600
    assert [s.imei for s in stack.gateway.sent] == [unit.product_imei]
    assert stack.gateway.sent[0].message_reference == rows[0].message_reference

    receipt = {"message_reference": rows[0].message_reference, "delivered_at": "2026-01-02T03:04:05"}
    r = await stack.http.post(
        "/v1/sms/receipts", json=receipt, headers={"X-SMS-Gateway-Key": "simulated-gateway-key"}
    )
    assert r.status_code == 200
    await rc_get(stack, unit)
    await finished(stack, unit.product_imei)  # ends only once the SMS has its outcome
    (row,) = sms_rows(unit.product_imei)
    assert row.status == "Delivered"
    assert row.modified_at.isoformat() == "2026-01-02T03:04:05"
    # A repeated receipt changes nothing.
    r = await stack.http.post(
        "/v1/sms/receipts", json=receipt, headers={"X-SMS-Gateway-Key": "simulated-gateway-key"}
    )
    assert r.status_code == 200
    assert sms_rows(unit.product_imei)[0].modified_at == row.modified_at


def history_ids(imei: str) -> list[int]:
    with get_sessionmaker()() as session:
        return list(
            session.scalars(select(EnableHistory.enable_history_id).where(EnableHistory.product_imei == imei))
        )


async def test_receipts_need_the_gateway_key_and_a_known_reference(stack, db):
    r = await stack.http.post(
        "/v1/sms/receipts", json={"message_reference": "x"}, headers={"X-SMS-Gateway-Key": "no"}
    )
    assert r.status_code == 401
    r = await stack.http.post(
        "/v1/sms/receipts",
        json={"message_reference": "x"},
        headers={"X-SMS-Gateway-Key": "simulated-gateway-key"},
    )
    assert r.status_code == 404
    r = await stack.http.post(
        "/v1/sms/receipts", json={}, headers={"X-SMS-Gateway-Key": "simulated-gateway-key"}
    )
    assert r.status_code == 400


async def test_send_wakeup_returns_the_sms_history_record(stack, db):
    unit = make_product(db)
    headers = auth_headers(db, Permission.ADMIN)
    r = await stack.http.post(f"/v1/products/{unit.product_imei}/send_wakeup", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "success" and body["message"] == "sms successfully sent"
    data = body["data"]
    assert data["product_imei"] == unit.product_imei
    assert data["trigger"] == "wakeup" and data["attempted_retries"] == 0 and data["status"] is None
    assert data["message_reference"] == stack.gateway.sent[0].message_reference
    assert data["created_by"] is not None
    r = await stack.http.post(
        f"/v1/products/{unit.product_imei}/send_wakeup", headers=auth_headers(db, Permission.TECHNICAL)
    )
    assert r.status_code == 403
    r = await stack.http.post(f"/v1/products/{unit.product_imei}/force_connection", headers=headers)
    assert r.json() == {"status": "success", "message": "Force connection request sent", "data": {}}
    assert len(sms_rows(unit.product_imei)) == 2


async def test_operator_cancels_a_pending_change(stack, db):
    unit = make_product(db)
    await stack.http.put(
        f"/v1/products/{unit.product_imei}/enable", headers=auth_headers(db, Permission.TECHNICAL)
    )
    r = await stack.http.post(
        f"/v1/products/{unit.product_imei}/cancel_pending_changes",
        headers=auth_headers(db, Permission.SYSTEM),
    )
    assert r.status_code == 200
    await finished(stack, unit.product_imei)
    assert history(EnableHistory, unit.product_imei) == [
        ("disabled", "pending_enabled"),
        ("pending_enabled", "disabled"),
    ]
    assert product(unit.product_imei).desired_enable_flag is False
    assert (await rc_get(stack, unit))["enable_flag"] is False


async def test_cancelling_the_workflow_in_the_ui_records_it(stack, db):
    unit = make_product(db)
    await stack.http.put(
        f"/v1/products/{unit.product_imei}/disable_tamper_switch",
        headers=auth_headers(db, Permission.TECHNICAL),
    )
    assert history(TamperEnableHistory, unit.product_imei) == []  # already off: nothing to do
    await stack.http.put(
        f"/v1/products/{unit.product_imei}/enable_tamper_switch",
        headers=auth_headers(db, Permission.TECHNICAL),
    )
    handle = stack.client.get_workflow_handle(f"device/{unit.product_imei}")
    from workflows.device import DeviceWorkflow

    assert (await handle.query(DeviceWorkflow.status)).pending == {"tamper": True}  # waiting for the unit
    await handle.cancel()
    with pytest.raises(Exception):
        await handle.result()
    assert history(TamperEnableHistory, unit.product_imei)[-1] == ("pending_enabled", "disabled")
    assert product(unit.product_imei).desired_tamper_flag is False


async def test_entity_users_cannot_touch_other_entities_units(stack, db):
    mine, theirs = make_entity(db), make_entity(db)
    my_unit = make_product(db, entity=mine)
    their_unit = make_product(db, entity=theirs)
    headers = auth_headers(db, Permission.TECHNICAL, scope=Scope.ENTITY, entity_id=mine.entity_id)
    r = await stack.http.put(f"/v1/products/{their_unit.product_imei}/enable", headers=headers)
    assert r.status_code == 404
    assert history(EnableHistory, their_unit.product_imei) == []
    r = await stack.http.put(f"/v1/products/{my_unit.product_imei}/enable", headers=headers)
    assert r.status_code == 200
    desc = await stack.client.get_workflow_handle(f"device/{my_unit.product_imei}").describe()
    attributes = {key.name: value for key, value in desc.typed_search_attributes}  # operator's view
    assert attributes == {"ProductImei": my_unit.product_imei, "EntityId": mine.entity_id}
    assert await desc.static_summary() == f"Unit {my_unit.product_imei}: pending changes and wake-ups"


async def test_overview_users_cannot_enable(stack, db):
    unit = make_product(db)
    r = await stack.http.put(
        f"/v1/products/{unit.product_imei}/enable", headers=auth_headers(db, Permission.OVERVIEW)
    )
    assert r.status_code == 403
    r = await stack.http.put(
        "/v1/products/999999999999999/enable", headers=auth_headers(db, Permission.TECHNICAL)
    )
    assert r.status_code == 404
