"""DCM end to end on the real dev server: commands reach the unit in its RC-GET, its RC-POST acknowledges
them, the balance follows; zero-command, force-reset and balance_and_pending_payments."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.permissions import Permission
from tests.dcm.helpers import add, balance, commands, dcm_unit, final_balances, workflow_done, workflow_status
from tests.utils.factories import auth_headers, unit_auth
from tests.utils.waiting import eventually
from tests.webhooks.helpers import subscribe
from tests.webhooks.receiver import WebhookReceiver


@pytest.fixture
def admin(db):
    return auth_headers(db, Permission.ADMIN)


async def test_the_docs_worked_example(stack, db, admin, clock):
    """+10 | 7 used | -20 rejected | -5 accepted and the balance floored at 0."""
    product, unit = dcm_unit(db)
    imei = product.product_imei
    assert (await add(stack, admin, imei, "payment", 10, "pay-10")).status_code == 201
    status = await eventually(lambda: _tracking(stack, imei))
    assert [(c.transaction_id, c.offered, c.status) for c in status.payment_commands] == [
        ("pay-10", 0, "pending")
    ]

    await unit.connect(stack.http)  # RC-GET carries the command; the unit applies it
    assert unit.balance == 10
    status = await eventually(lambda: _offered(stack, imei, "pay-10"))
    assert commands(imei) == [("pay-10", "payment", 10, "sent", False)]
    await unit.connect(stack.http)  # RC-POST acknowledges it, with the unit's balance
    await workflow_done(stack, imei)
    assert commands(imei) == [("pay-10", "payment", 10, "acknowledged", False)]
    row = balance(imei)
    assert row.balance == 10 and row.expected_expiry == clock.now + timedelta(seconds=10)

    unit.use(7)
    clock.advance(seconds=7)
    await unit.connect(stack.http)  # the periodic report: balance 3
    assert balance(imei).balance == 3

    r = await add(stack, admin, imei, "bad-payment", -20, "bad-20")
    assert r.status_code == 400 and "more credit than has ever been added" in r.json()["message"]
    assert (await add(stack, admin, imei, "bad-payment", -5, "bad-5")).status_code == 201
    await unit.connect(stack.http)
    await unit.connect(stack.http)
    await workflow_done(stack, imei)
    assert unit.balance == 0
    assert balance(imei).balance == 0  # accepted, floored at 0
    assert [c[3] for c in commands(imei)] == ["acknowledged", "acknowledged"]


async def _tracking(stack, imei):
    status = await workflow_status(stack, imei)
    return status if status.payment_commands else None


async def _offered(stack, imei, transaction_id):
    status = await workflow_status(stack, imei)
    return any(
        c.transaction_id == transaction_id and c.offered == 1 and c.status == "sent"
        for c in status.payment_commands
    )


async def test_without_the_units_balance_the_server_estimates_it(stack, db, admin, clock):
    product, unit = dcm_unit(db)
    imei = product.product_imei
    await add(stack, admin, imei, "payment", 100, "p1")
    await add(stack, admin, imei, "bad-payment", -30, "b1")
    answer = (await stack.http.get("/v1/rc_data", auth=unit_auth(product))).json()
    assert answer["payment_commands"] == [
        {"transaction_id": "p1", "category": "payment", "value": 100},
        {"transaction_id": "b1", "category": "bad-payment", "value": -30},
    ]
    report = unit.report() | {
        "payment_acks": ["b1", "p1", "someone-elses"]
    }  # order and strangers do not matter
    r = await stack.http.post("/v1/rc_data", json=report, auth=unit_auth(product))
    assert r.status_code == 200, r.text
    await workflow_done(stack, imei)
    assert balance(imei).balance == 70
    clock.advance(seconds=50)
    await add(
        stack, admin, imei, "bad-payment", -60, "b2"
    )  # 100 added, 90 removed: allowed; 20 left -> floored
    r = await stack.http.post(
        "/v1/rc_data", json=unit.report() | {"payment_acks": ["b2"]}, auth=unit_auth(product)
    )
    await workflow_done(stack, imei)
    assert balance(imei).balance == 0
    # A repeated report changes nothing.
    await stack.http.post(
        "/v1/rc_data", json=unit.report() | {"payment_acks": ["b2"]}, auth=unit_auth(product)
    )
    assert [c[3] for c in commands(imei)] == ["acknowledged"] * 3


async def test_zero_command_round_trip(stack, db, admin, clock):
    from clients.webhooks import install_dispatcher
    from domain.webhooks.kicks import set_dispatcher
    from domain.webhooks.subscriptions import ensure_channels

    ensure_channels(db)
    db.commit()
    receiver = WebhookReceiver().start()
    previous = install_dispatcher(stack.client, asyncio.get_running_loop())  # as the API's lifespan does
    try:
        await subscribe(stack.http, admin, receiver, "dcm", "/dcm")
        product, unit = dcm_unit(db)
        imei = product.product_imei
        await add(stack, admin, imei, "payment", 100, "p1")
        await unit.connect(stack.http)
        await unit.connect(stack.http)
        await workflow_done(stack, imei)
        await add(stack, admin, imei, "payment", 50, "p2")  # outstanding when the zero-command comes
        assert (await add(stack, admin, imei, "zero-command", 0, "z1")).status_code == 201

        await unit.connect(stack.http)  # gets p2 and z1 together: 150, then zero
        assert unit.balance == 0 and unit.applied["z1"] == 150
        await unit.connect(stack.http)  # acknowledges p2, answers z1 with its final balance
        await workflow_done(stack, imei)
        (final,) = final_balances(imei)
        z1 = commands(imei)[-1]
        assert (final.final_balance, final.total_added, final.status) == (150, 150, "received")
        assert z1 == ("z1", "zero-command", 0, "acknowledged", False)
        assert [c[4] for c in commands(imei)] == [True, True, False]  # every earlier command voided
        assert balance(imei).balance == 0

        (event,) = await eventually(lambda: receiver.accepted("/dcm"))
        assert event.doc_signature_ok and event.json["channel"] == "dcm"
        assert event.json["data"] == {
            "final_balance_id": final.final_balance_id,
            "product_imei": imei,
            "final_balance": 150,
            "total_added": 150,
            "zero_command_id": final.zero_command_id,
            "status": "received",
        }
        # Payments are possible again, and "ever added" starts from the reset.
        r = await add(stack, admin, imei, "bad-payment", -1, "b-after")
        assert r.status_code == 400
        assert (await add(stack, admin, imei, "payment", 5, "p-after")).status_code == 201
    finally:
        await stack.http.post(
            "/v1/channels/dcm/unsubscribe", json={"url": receiver.url("/dcm")}, headers=admin
        )
        receiver.stop()
        set_dispatcher(previous)


async def test_force_reset_answers_the_docs_values(stack, db, admin, clock):
    product, unit = dcm_unit(db)
    imei = product.product_imei
    await add(stack, admin, imei, "payment", 100, "p1")
    await unit.connect(stack.http)
    unit.use(42)
    await unit.connect(stack.http)  # acknowledged; the unit says 58 left
    await workflow_done(stack, imei)
    assert balance(imei).balance == 58
    await add(stack, admin, imei, "payment", 250, "p2")  # the unit never takes these
    await add(stack, admin, imei, "zero-command", 0, "z1")

    body = {"transaction_id": "fr-1"}
    r = await stack.http.post(f"/v1/products/{imei}/force_reset", json=body, headers=admin)
    assert r.status_code == 201, r.text
    expected = {
        "status": "success",
        "message": f"Product #{imei} has been Force-Reset",
        "data": {"outstanding_payments": 250, "last_known_balance": 58},
    }
    assert r.json() == expected
    assert [(c[0], c[4]) for c in commands(imei)] == [
        ("p1", True),
        ("p2", True),
        ("z1", True),
        ("fr-1", False),
    ]
    assert balance(imei).balance == 0
    again = await stack.http.post(f"/v1/products/{imei}/force_reset", json=body, headers=admin)
    assert (again.status_code, again.json()) == (201, expected)
    assert len(commands(imei)) == 4

    pending = (
        await stack.http.get(f"/v1/products/{imei}/balance_and_pending_payments", headers=admin)
    ).json()
    assert pending["message"] == "Balance and pending credits."
    assert pending["data"]["balance"] == 0
    assert [(c["category"], c["value"]) for c in pending["data"]["pending_payment_commands"]] == [
        ("force-reset", 0)
    ]
    # The voided zero-command no longer blocks; the unit is told to zero itself, then gets the new credit.
    assert (await add(stack, admin, imei, "payment", 30, "p3")).status_code == 201
    answer = (await stack.http.get("/v1/rc_data", auth=unit_auth(product))).json()
    assert [c["transaction_id"] for c in answer["payment_commands"]] == ["fr-1", "p3"]


async def test_force_reset_without_a_known_balance(stack, db, admin):
    product, _ = dcm_unit(db)
    imei = product.product_imei
    await add(stack, admin, imei, "payment", 20, "p1")
    await add(stack, admin, imei, "bad-payment", -5, "b1")
    r = await stack.http.post(
        f"/v1/products/{imei}/force_reset", json={"transaction_id": "fr"}, headers=admin
    )
    assert r.json()["data"] == {"outstanding_payments": 15, "last_known_balance": None}
    r = await stack.http.post(
        f"/v1/products/{imei}/force_reset", json={"transaction_id": "fr"}, headers=admin
    )
    assert r.json()["data"] == {"outstanding_payments": 15, "last_known_balance": None}
    r = await stack.http.post(f"/v1/products/{imei}/force_reset", json={}, headers=admin)
    assert r.status_code == 400 and "transaction_id" in r.json()["validation_errors"]


async def test_balance_and_pending_payments(stack, db, admin):
    product, _ = dcm_unit(db)
    imei = product.product_imei
    r = await stack.http.get(f"/v1/products/{imei}/balance_and_pending_payments", headers=admin)
    assert r.json() == {
        "status": "success",
        "message": "Balance and pending credits.",
        "data": {"balance": None, "expected_expiry": None, "pending_payment_commands": []},
    }
    await add(stack, admin, imei, "payment", 2592000, "p1")
    await add(stack, admin, imei, "zero-command", 0, "z1")
    data = (await stack.http.get(f"/v1/products/{imei}/balance_and_pending_payments", headers=admin)).json()[
        "data"
    ]
    assert [(c["category"], c["value"], c["transaction_id"]) for c in data["pending_payment_commands"]] == [
        ("zero-command", 0, "z1"),
        ("payment", 2592000, "p1"),
    ]
    assert set(data["pending_payment_commands"][0]) >= {"category", "created_at", "modified_at", "value"}
