"""add_payment_command: every restriction of the doc, accepted and refused; refusals are 400s that write nothing."""

from __future__ import annotations

import pytest

from domain.permissions import Permission, Scope
from tests.dcm.helpers import add, command_count, commands, dcm_unit
from tests.utils.factories import auth_headers, make_entity, make_product, make_product_type
from tests.utils.response_schema import assert_conforms

MESSAGE = "new payment_command added to product #{}"


@pytest.fixture
def admin(db):
    return auth_headers(db, Permission.ADMIN)


async def refused(response, status: int = 400, contains: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] in ("error", "validation-error")
    assert contains.lower() in (body["message"] + str(body["validation_errors"])).lower(), body


@pytest.mark.parametrize(
    "category, value, ok",
    [
        ("payment", 10, True),
        ("payment", 0, False),
        ("payment", -1, False),
        ("bad-payment", -1, True),
        ("bad-payment", 0, False),
        ("bad-payment", 5, False),
        ("zero-command", 0, True),
        ("zero-command", 1, False),
        ("zero-command", -1, False),
    ],
)
async def test_value_sign_per_category(stack, db, admin, category, value, ok):
    product, _ = dcm_unit(db)
    imei = product.product_imei
    if category == "bad-payment":  # there must be credit to remove
        assert (await add(stack, admin, imei, "payment", 5, "seed")).status_code == 201
    before = command_count()
    r = await add(stack, admin, imei, category, value, "tx-1")
    if ok:
        assert r.status_code == 201, r.text
        assert r.json() == {"status": "success", "message": MESSAGE.format(imei), "data": None}
        assert commands(imei)[-1] == ("tx-1", category, value, "pending", False)
    else:
        await refused(r, contains="value")
        assert command_count() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"value": 10, "category": "force-reset", "transaction_id": "t"}, "force_reset"),
        ({"value": 10, "category": "gift", "transaction_id": "t"}, "category"),
        ({"value": 10.5, "category": "payment", "transaction_id": "t"}, "value"),
        ({"value": "10", "category": "payment", "transaction_id": "t"}, "value"),
        ({"value": 10, "category": "payment"}, "transaction_id"),
        ({"value": 10, "category": "payment", "transaction_id": ""}, "transaction_id"),
        ({"value": 10, "category": "payment", "transaction_id": "t", "void": True}, "void"),
        ({"value": 2**31, "category": "payment", "transaction_id": "t"}, "value"),
    ],
)
async def test_malformed_bodies_are_400(stack, db, admin, body, field):
    product, _ = dcm_unit(db)
    r = await stack.http.post(
        f"/v1/products/{product.product_imei}/add_payment_command", json=body, headers=admin
    )
    await refused(r, contains=field)
    assert command_count() == 0


async def test_the_doc_spelling_bad_payment_is_accepted(stack, db, admin):
    product, _ = dcm_unit(db)
    await add(stack, admin, product.product_imei, "payment", 10, "p")
    assert (await add(stack, admin, product.product_imei, "bad_payment", -4, "b")).status_code == 201
    assert commands(product.product_imei)[-1][1] == "bad-payment"


async def test_only_dcm_units_take_commands(stack, db, admin):
    plain = make_product(db)  # dcm_enabled_flag False
    await refused(
        await add(stack, admin, plain.product_imei, "payment", 10, "tx"), contains="not DCM enabled"
    )
    r = await stack.http.post(
        f"/v1/products/{plain.product_imei}/force_reset", json={"transaction_id": "f"}, headers=admin
    )
    await refused(r, contains="not DCM enabled")
    assert command_count() == 0
    # BP20 product types are DCM units whatever the flag says.
    bp20 = make_product(db, product_type=make_product_type(db, "BP20"))
    assert (await add(stack, admin, bp20.product_imei, "payment", 10, "tx")).status_code == 201


async def test_never_remove_more_than_was_ever_added(stack, db, admin):
    product, _ = dcm_unit(db)
    imei = product.product_imei
    assert (await add(stack, admin, imei, "payment", 10, "p1")).status_code == 201
    await refused(
        await add(stack, admin, imei, "bad-payment", -11, "b1"),
        contains="more credit than has ever been added",
    )
    assert (await add(stack, admin, imei, "bad-payment", -6, "b2")).status_code == 201
    # Cumulative: 6 removed of 10 added; 5 more would be 11.
    await refused(await add(stack, admin, imei, "bad-payment", -5, "b3"), contains="more credit")
    assert (await add(stack, admin, imei, "bad-payment", -4, "b4")).status_code == 201
    assert [c[0] for c in commands(imei)] == ["p1", "b2", "b4"]


async def test_nothing_while_a_zero_command_is_unacknowledged(stack, db, admin):
    product, _ = dcm_unit(db)
    imei = product.product_imei
    await add(stack, admin, imei, "payment", 10, "p1")
    assert (await add(stack, admin, imei, "zero-command", 0, "z1")).status_code == 201
    for category, value in (("payment", 5), ("bad-payment", -1), ("zero-command", 0)):
        await refused(
            await add(stack, admin, imei, category, value, f"{category}-2"),
            contains="unacknowledged zero-command",
        )
    assert [c[0] for c in commands(imei)] == ["p1", "z1"]


async def test_transaction_ids_are_unique_and_repeats_apply_once(stack, db, admin):
    product, _ = dcm_unit(db)
    other, _ = dcm_unit(db)
    imei = product.product_imei
    first = await add(stack, admin, imei, "payment", 10, "tx-dup")
    again = await add(stack, admin, imei, "payment", 10, "tx-dup")  # the client retried
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert commands(imei) == [("tx-dup", "payment", 10, "pending", False)]
    await refused(await add(stack, admin, imei, "payment", 11, "tx-dup"), status=409, contains="already used")
    await refused(
        await add(stack, admin, other.product_imei, "payment", 10, "tx-dup"),
        status=409,
        contains="already used",
    )
    r = await stack.http.post(
        f"/v1/products/{imei}/force_reset", json={"transaction_id": "tx-dup"}, headers=admin
    )
    await refused(r, status=409, contains="already used")
    assert command_count() == 1


async def test_permission_and_entity_scope(stack, db):
    mine, theirs = make_entity(db), make_entity(db)
    product, _ = dcm_unit(db, entity=theirs)
    imei = product.product_imei
    await refused(await add(stack, {}, imei, "payment", 1, "t"), status=401)
    await refused(
        await add(stack, auth_headers(db, Permission.TECHNICAL), imei, "payment", 1, "t"), status=403
    )
    entity_admin = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=mine.entity_id)
    await refused(await add(stack, entity_admin, imei, "payment", 1, "t"), status=404)
    await refused(await add(stack, entity_admin, "999999999999999", "payment", 1, "t"), status=404)
    r = await stack.http.post(
        f"/v1/products/{imei}/force_reset", json={"transaction_id": "f"}, headers=entity_admin
    )
    await refused(r, status=404)
    r = await stack.http.get(f"/v1/products/{imei}/balance_and_pending_payments", headers=entity_admin)
    await refused(r, status=404)
    assert command_count() == 0
    own_admin = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=theirs.entity_id)
    assert (await add(stack, own_admin, imei, "payment", 1, "t")).status_code == 201
    overview = auth_headers(db, Permission.OVERVIEW)
    balance = await stack.http.get(f"/v1/products/{imei}/balance_and_pending_payments", headers=overview)
    assert balance.status_code == 200
    pending = assert_conforms(balance, "/v1/products/{imei}/balance_and_pending_payments")["data"]
    assert [c["transaction_id"] for c in pending["pending_payment_commands"]] == ["t"]
