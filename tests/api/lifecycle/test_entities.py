"""assign_entity, change_entity, remove_entity: the doc's rules, messages and data; scope follows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models.alert import Subscriber
from db.models.product import ProductEntityLinker
from db.models.webhooks import WebhookDelivery
from domain.permissions import Permission, Scope
from domain.webhooks.subscriptions import ensure_channels
from tests.api.lifecycle.conftest import factory_unit
from tests.utils.factories import auth_headers, make_entity


def put(client, imei, action, body, headers):
    return client.put(f"/v1/products/{imei}/{action}", json=body, headers=headers)


def test_unknown_entity_goes_when_a_real_one_comes_and_comes_back_when_the_last_goes(client, db, admin):
    imei = factory_unit(client, db)
    kenya, rwanda = make_entity(db, "BBOXX Capital Kenya"), make_entity(db, "BBOXX Rwanda")

    r = put(client, imei, "assign_entity", {"entity_id": kenya.entity_id}, admin)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "status": "success",
        "message": f"Product #{imei} assigned to entity: {kenya.entity_id}",
        "data": {imei: ["BBOXX Capital Kenya"]},
    }
    r = put(client, imei, "assign_entity", {"entity_id": rwanda.entity_id}, admin)
    assert r.json()["data"] == {imei: ["BBOXX Capital Kenya", "BBOXX Rwanda"]}
    again = put(client, imei, "assign_entity", {"entity_id": rwanda.entity_id}, admin)
    assert again.json()["data"] == {imei: ["BBOXX Capital Kenya", "BBOXX Rwanda"]}  # applied once

    other = make_entity(db, "Other")
    r = put(
        client,
        imei,
        "change_entity",
        {"old_entity_id": kenya.entity_id, "new_entity_id": other.entity_id},
        admin,
    )
    assert r.status_code == 200
    assert r.json()["message"] == f"Product #{imei} assigned to entity: {other.entity_id}"
    assert r.json()["data"] == {imei: ["BBOXX Rwanda", "Other"]}

    put(client, imei, "remove_entity", {"entity_id": other.entity_id}, admin)
    r = put(client, imei, "remove_entity", {"entity_id": rwanda.entity_id}, admin)
    assert r.json() == {
        "status": "success",
        "message": f"Entity #{rwanda.entity_id} removed from Product #{imei}",
        "data": {imei: ["Unknown Entity"]},
    }
    history = db.execute(
        select(ProductEntityLinker.entity_id, ProductEntityLinker.date_removed.is_(None))
        .where(ProductEntityLinker.product_imei == imei)
        .order_by(ProductEntityLinker.product_entity_linker_id)
    ).all()
    assert [entity for entity, open_ in history if open_] == [1]
    assert len(history) == 5  # every link is kept, closed: the history


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("assign_entity", {"entity_id": 999}, "entity_id"),
        ("assign_entity", {"entity_id": 1}, "entity_id"),
        ("assign_entity", {"entity_id": "2"}, "entity_id"),
        ("assign_entity", {}, "entity_id"),
        ("remove_entity", {"entity_id": "E"}, "entity_id"),
        ("remove_entity", {"entity_id": 1}, "entity_id"),
        ("change_entity", {"old_entity_id": "E", "new_entity_id": 999}, "new_entity_id"),
        ("change_entity", {"old_entity_id": 999, "new_entity_id": "E"}, "old_entity_id"),
    ],
)
def test_bad_requests_are_400_and_change_nothing(client, db, admin, action, body, field):
    imei = factory_unit(client, db)
    entity = make_entity(db, "E")
    body = {k: (entity.entity_id if v == "E" else v) for k, v in body.items()}
    before = db.scalars(select(ProductEntityLinker.product_entity_linker_id)).all()
    r = put(client, imei, action, body, admin)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation_errors"]
    assert db.scalars(select(ProductEntityLinker.product_entity_linker_id)).all() == before


def test_entity_users_see_a_unit_once_assigned_and_others_get_404(client, db, admin):
    imei = factory_unit(client, db)
    mine, theirs = make_entity(db, "Mine"), make_entity(db, "Theirs")
    viewer = auth_headers(db, Permission.OVERVIEW, scope=Scope.ENTITY, entity_id=mine.entity_id)
    assert client.get(f"/v1/products/{imei}", headers=viewer).status_code == 404
    put(client, imei, "assign_entity", {"entity_id": mine.entity_id}, admin)
    assert client.get(f"/v1/products/{imei}", headers=viewer).status_code == 200

    # An ENTITY admin of another entity: the unit does not exist for them.
    other_admin = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=theirs.entity_id)
    r = put(client, imei, "assign_entity", {"entity_id": theirs.entity_id}, other_admin)
    assert r.status_code == 404
    # An ENTITY admin of the unit's entity may not hand it to another entity.
    my_admin = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=mine.entity_id)
    assert put(client, imei, "assign_entity", {"entity_id": theirs.entity_id}, my_admin).status_code == 403

    put(
        client,
        imei,
        "change_entity",
        {"old_entity_id": mine.entity_id, "new_entity_id": theirs.entity_id},
        admin,
    )
    assert client.get(f"/v1/products/{imei}", headers=viewer).status_code == 404


def test_permissions(client, db, admin):
    imei = factory_unit(client, db)
    entity = make_entity(db)
    technical = auth_headers(db, Permission.TECHNICAL)
    assert put(client, imei, "assign_entity", {"entity_id": entity.entity_id}, technical).status_code == 403
    assert (
        put(client, "000000000000000", "assign_entity", {"entity_id": entity.entity_id}, admin).status_code
        == 404
    )


def test_webhook_subscriptions_of_an_entity_hear_of_its_units_only_once_assigned(client, db, admin):
    ensure_channels(db)
    entity = make_entity(db, "Subscriber's entity")
    db.add(
        Subscriber(
            channel_name="product-status", url="https://e.example/h", key="k" * 24, entity_id=entity.entity_id
        )
    )
    db.commit()
    imei = factory_unit(client, db)
    client.put(f"/v1/products/{imei}/change_state", json={"new_state": 3}, headers=admin)
    assert db.scalar(select(func.count()).select_from(WebhookDelivery)) == 0  # not its unit yet
    put(client, imei, "assign_entity", {"entity_id": entity.entity_id}, admin)
    client.put(f"/v1/products/{imei}/change_state", json={"new_state": 5}, headers=admin)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
