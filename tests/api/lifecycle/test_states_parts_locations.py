"""change_state (the doc's table, messages, webhook), /products/<imei>/parts and /products/locations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.clock import utcnow
from db.models.alert import Subscriber
from db.models.history import Connection, State
from db.models.parts import PartProductLinker, PartType, PartTypeReplacementLinker
from db.models.product import Product
from db.models.webhooks import WebhookEvent
from domain.permissions import Permission, Scope
from domain.webhooks.subscriptions import ensure_channels
from tests.api.lifecycle.conftest import factory_unit
from tests.utils.factories import auth_headers, make_entity
from tests.utils.response_schema import assert_conforms


def change(client, imei, new_state, headers):
    return client.put(f"/v1/products/{imei}/change_state", json={"new_state": new_state}, headers=headers)


def test_change_state_follows_the_docs_table_and_answers_its_messages(client, db, admin):
    imei = factory_unit(client, db)  # STORED
    for state in (3, 5):
        r = change(client, imei, state, admin)
        assert r.status_code == 200, r.text
        assert r.json() == {"status": "success", "message": "Product state changed"}
    r = change(client, imei, 2, admin)
    assert r.status_code == 400
    error = " A unit may not transition from state '5' to state '2'"
    assert r.json() == {
        "status": "validation-error",
        "validation_errors": {"state_transition": error},
        "message": "Your request contained invalid data. See 'data' or 'validation_errors' for exact details",
        "data": {"state_transition": error},
    }
    assert change(client, imei, 8, admin).status_code == 200
    assert change(client, imei, 8, admin).status_code == 200  # a retry changes nothing
    assert change(client, imei, 99, admin).status_code == 400
    assert change(client, imei, "8", admin).status_code == 400
    db.expire_all()
    rows = db.execute(
        select(State.prev_state_type, State.current_state_type)
        .where(State.product_imei == imei)
        .order_by(State.state_id)
    ).all()
    assert rows == [(1, 2), (2, 3), (3, 5), (5, 8)]
    assert db.get(Product, imei).latest_state_id == db.scalar(
        select(State.state_id).order_by(State.state_id.desc())
    )


def test_change_state_publishes_product_status_with_the_new_state(client, db, admin):
    ensure_channels(db)
    db.add(Subscriber(channel_name="product-status", url="https://erp.example/hooks", key="k" * 24))
    db.commit()
    imei = factory_unit(client, db)
    change(client, imei, 3, admin)
    db.expire_all()
    events = [
        json.loads(e.body)["data"]
        for e in db.scalars(select(WebhookEvent).where(WebhookEvent.product_imei == imei))
    ]
    assert {"product_imei": imei, "state": 3, "enabled_status": "disabled"}.items() <= events[-1].items()


def test_change_state_needs_admin_and_scope(client, db, admin):
    imei = factory_unit(client, db)
    assert change(client, imei, 3, auth_headers(db, Permission.TECHNICAL)).status_code == 403
    stranger = auth_headers(db, Permission.ADMIN, scope=Scope.ENTITY, entity_id=make_entity(db).entity_id)
    assert change(client, imei, 3, stranger).status_code == 404


def test_parts_lists_fitted_and_historical_parts_with_replacements(client, db, admin):
    imei = factory_unit(client, db)
    product = db.get(Product, imei)
    sim_linker = db.scalar(
        select(PartProductLinker)
        .join(PartProductLinker.part)
        .where(PartProductLinker.product_imei == imei)
        .order_by(PartProductLinker.part_id)
        .limit(1)
    )
    hyena = db.get(PartType, 77)
    db.add(
        PartTypeReplacementLinker(
            product_type_id=product.product_type_id,
            existing_part_type_id=77,
            replacement_part_type_id=77,
            default_part_type=True,
            critical_part_type=True,
            non_transferable=False,
        )
    )
    sim_linker.date_removed = sim_linker.date_added  # taken out: historical
    db.commit()
    r = client.get(f"/v1/products/{imei}/parts", headers=auth_headers(db, Permission.OVERVIEW))
    assert r.status_code == 200, r.text
    assert_conforms(r, "/v1/products/{imei}/parts")
    assert r.json()["message"] == "Parts found."
    data = r.json()["data"]
    assert len(data) == 2
    pcb = next(p for p in data.values() if p["part_type_id"] == 77)
    assert {
        "part_id",
        "part_type_id",
        "serial_number",
        "part_product_linker",
        "part_type",
        "replacement_part_types",
        "created_at",
        "created_by",
        "modified_at",
    } <= set(pcb)
    assert pcb["serial_number"] == imei and pcb["part_product_linker"]["product_imei"] == imei
    assert pcb["part_type"]["name"] == hyena.name and set(pcb["part_type"]) == {
        "created_at",
        "created_by",
        "description",
        "erp_code",
        "modified_at",
        "name",
        "part_type_id",
        "serial_number_category",
    }
    assert [t["part_type_id"] for t in pcb["replacement_part_types"]] == [77]
    sim = next(p for p in data.values() if p["part_type_id"] == 43)
    assert sim["part_product_linker"]["date_removed"] is not None and sim["replacement_part_types"] == []
    other = auth_headers(db, Permission.OVERVIEW, scope=Scope.ENTITY, entity_id=make_entity(db).entity_id)
    assert client.get(f"/v1/products/{imei}/parts", headers=other).status_code == 404
    assert client.get("/v1/products/000000000000000/parts", headers=admin).status_code == 404


def _connection(db, imei, lat, lon, radius):
    db.add(
        Connection(
            product_imei=imei,
            location_failed_flag=lat is None,
            date=utcnow(),
            latitude=lat,
            longitude=lon,
            error_radius=radius,
        )
    )
    db.commit()


@pytest.mark.parametrize("per_page", [None, 1])
def test_locations_answers_each_units_latest_location_paged_and_scoped(client, db, admin, per_page):
    first, second = factory_unit(client, db, 1), factory_unit(client, db, 2)
    _connection(db, first, "-2.354956", "29.740627", 2952)
    _connection(db, first, "-1.591342", "30.071951", 1936)
    _connection(db, first, None, None, None)  # located nowhere: the last known location stays
    _connection(db, second, "4.395848", "9.439759", 3560)
    params = {} if per_page is None else {"results_per_page": per_page, "page": 2}
    r = client.get("/v1/products/locations", params=params, headers=auth_headers(db, Permission.OVERVIEW))
    assert_conforms(r, "/v1/products/locations")
    assert r.status_code == 200, r.text
    expected = [
        {"error_radius": 1936, "latitude": "-1.591342", "longitude": "30.071951", "product_imei": first},
        {"error_radius": 3560, "latitude": "4.395848", "longitude": "9.439759", "product_imei": second},
    ]
    assert r.json()["data"] == (expected if per_page is None else expected[1:])
    assert r.json()["num_results"] == 2

    entity = make_entity(db)
    client.put(f"/v1/products/{second}/assign_entity", json={"entity_id": entity.entity_id}, headers=admin)
    viewer = auth_headers(db, Permission.OVERVIEW, scope=Scope.ENTITY, entity_id=entity.entity_id)
    assert client.get("/v1/products/locations", headers=viewer).json()["data"] == expected[1:]
    assert client.get("/v1/products/locations", params={"page": 0}, headers=viewer).status_code == 400
