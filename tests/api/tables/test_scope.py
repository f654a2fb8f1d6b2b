"""ENTITY scope on the table API: rows about another entity's units (by product_imei, or through a
repair) are invisible and answer 404, reference tables stay visible, relations never leak."""

from __future__ import annotations

import json

import pytest

from db.models.product import ProductNote
from db.models.repair import Repair
from domain.permissions import Permission, Scope
from tests.api.tables.rows import make_row
from tests.utils.factories import make_entity, make_product, make_product_type


@pytest.fixture
def fleet(db):
    """Two entities, a unit each, a note and a repair (with an action linked) on each unit."""
    ours, theirs = make_entity(db, "Ours"), make_entity(db, "Theirs")
    product_type = make_product_type(db)
    mine = make_product(db, product_type=product_type, entity=ours)
    other = make_product(db, product_type=product_type, entity=theirs)
    action = make_row(db, "action_type")
    rows = {"ours": ours, "theirs": theirs, "mine": mine, "other": other, "product_type": product_type}
    for key, unit in (("mine", mine), ("other", other)):
        note = ProductNote(note_text=f"note on {key}", product_imei=unit.product_imei)
        repair = Repair(product_imei=unit.product_imei)
        db.add_all([note, repair])
        db.flush()
        rows[f"{key}_note"], rows[f"{key}_repair"] = note, repair
        rows[f"{key}_link"] = make_row(
            db, "repair_action_type_linker", repair_id=repair.repair_id, action_type_id=action.action_type_id
        )
    db.commit()
    return rows


@pytest.fixture
def ours(headers, fleet):
    return headers(Permission.SYSTEM, scope=Scope.ENTITY, entity_id=fleet["ours"].entity_id)


def listed(api, headers, path, key, q=None):
    params = {"q": json.dumps(q)} if q else {}
    response = api.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [obj[key] for obj in response.json()["objects"]]


def test_lists_hold_only_rows_about_our_units(api, fleet, ours, system):
    mine, other = fleet["mine"].product_imei, fleet["other"].product_imei
    assert listed(api, ours, "/v1/products", "product_imei") == [mine]
    assert listed(api, system, "/v1/products", "product_imei") == [mine, other]
    assert listed(api, ours, "/v1/product_notes", "product_imei") == [mine]
    assert listed(api, ours, "/v1/repairs", "product_imei") == [mine]
    # Reached through a repair.
    assert listed(api, ours, "/v1/repair_action_type_linker", "repair_id") == [fleet["mine_repair"].repair_id]
    # Reference data stays visible to everyone; of the organisation rows, only our own entity.
    assert listed(api, ours, "/v1/product_types", "product_type_id") == [
        fleet["product_type"].product_type_id
    ]
    assert listed(api, ours, "/v1/entities", "entity_id") == [fleet["ours"].entity_id]


def test_a_linker_filter_does_not_find_another_entity_by_its_unit(api, fleet, ours, system):
    """The audit's request: entity A asks for the entity linked to B's imei (and prefix-searches)."""
    other = fleet["other"].product_imei
    for op, val in (("eq", other), ("like", other)):
        q = {
            "filters": [
                {
                    "name": "product_entity_linker",
                    "op": "any",
                    "val": {"name": "product_imei", "op": op, "val": val},
                }
            ]
        }
        assert listed(api, ours, "/v1/entities", "entity_id", q) == []
        assert fleet["theirs"].entity_id in listed(api, system, "/v1/entities", "entity_id", q)


def test_entity_users_change_only_their_own_organisation_rows(api, db, fleet, ours):
    theirs = fleet["theirs"].entity_id
    hub = make_row(db, "hub", entity_id=theirs)
    assert api.put(f"/v1/entities/{theirs}", json={"tariff": "x"}, headers=ours).status_code == 404
    assert api.put(f"/v1/hubs/{hub.hub_id}", json={"name": "mine now"}, headers=ours).status_code == 404
    assert api.get(f"/v1/hubs/{hub.hub_id}", headers=ours).status_code == 404
    moved = api.post("/v1/hubs", json={"name": "h", "entity_id": theirs}, headers=ours)
    assert moved.status_code == 404
    own = api.post("/v1/hubs", json={"name": "ours", "entity_id": fleet["ours"].entity_id}, headers=ours)
    assert own.status_code == 201, own.text
    # Shared reference data changes every entity's behaviour: only GLOBAL users change it.
    rule = {
        "product_type_id": fleet["product_type"].product_type_id,
        "workflow_name": "x",
        "selector_type": "ENTITY",
        "selector_value": str(fleet["ours"].entity_id),
    }
    refused = api.post("/v1/repair_workflow_selectors", json=rule, headers=ours)
    assert refused.status_code == 403, refused.text
    assert (
        api.post("/v1/entities", json={"name": "new", "bboxx_company_flag": False}, headers=ours).status_code
        == 403
    )


def test_another_entitys_rows_answer_404_like_missing_ones(api, fleet, ours):
    other_note = fleet["other_note"].product_note_id
    other_link = fleet["other_link"].repair_action_type_linker_id
    for path in (
        f"/v1/products/{fleet['other'].product_imei}",
        f"/v1/product_notes/{other_note}",
        f"/v1/repair_action_type_linker/{other_link}",
    ):
        assert api.get(path, headers=ours).status_code == 404, path
    assert (
        api.put(f"/v1/product_notes/{other_note}", json={"note_text": "x"}, headers=ours).status_code == 404
    )
    assert api.delete(f"/v1/product_notes/{other_note}", headers=ours).status_code == 404
    assert (
        api.put(
            f"/v1/products/{fleet['other'].product_imei}", json={"assembler": "x"}, headers=ours
        ).status_code
        == 404
    )
    missing = api.get("/v1/product_notes/999999", headers=ours)
    hidden = api.get(f"/v1/product_notes/{other_note}", headers=ours)
    assert missing.json()["message"].replace("999999", "N") == hidden.json()["message"].replace(
        str(other_note), "N"
    )


def test_writes_about_another_entitys_unit_answer_404(api, db, fleet, ours):
    before = db.query(ProductNote).count()
    other = fleet["other"].product_imei
    refused = api.post("/v1/product_notes", json={"note_text": "x", "product_imei": other}, headers=ours)
    assert refused.status_code == 404
    # A unit that does not exist answers the same, so existence does not leak.
    absent = api.post("/v1/product_notes", json={"note_text": "x", "product_imei": "nope"}, headers=ours)
    assert absent.status_code == 404
    moved = api.put(
        f"/v1/product_notes/{fleet['mine_note'].product_note_id}", json={"product_imei": other}, headers=ours
    )
    assert moved.status_code == 404
    through_repair = api.post(
        "/v1/repair_action_type_linker",
        json={
            "repair_id": fleet["other_repair"].repair_id,
            "action_type_id": fleet["mine_link"].action_type_id,
        },
        headers=ours,
    )
    assert through_repair.status_code == 404
    db.expire_all()
    assert db.query(ProductNote).count() == before
    assert db.get(ProductNote, fleet["mine_note"].product_note_id).product_imei == fleet["mine"].product_imei
    created = api.post(
        "/v1/product_notes",
        json={"note_text": "ok", "product_imei": fleet["mine"].product_imei},
        headers=ours,
    )
    assert created.status_code == 201


def test_relations_in_q_do_not_reach_other_entities_rows(api, fleet, ours, system):
    other = fleet["other"].product_imei
    q = {"filters": [{"name": "products__product_imei", "op": "any", "val": other}]}
    assert listed(api, system, "/v1/product_types", "product_type_id", q) == [
        fleet["product_type"].product_type_id
    ]
    assert listed(api, ours, "/v1/product_types", "product_type_id", q) == []
    # Nor can ordering by a related value rank another entity's rows.
    order = {"order_by": [{"field": "products__product_imei", "direction": "desc"}]}
    assert listed(api, ours, "/v1/product_types", "product_type_id", order) == [
        fleet["product_type"].product_type_id
    ]


def test_subscribers_belong_to_their_entity(api, db, fleet, ours):
    make_row(db, "channel", name="product-status")
    for entity in (fleet["ours"], fleet["theirs"]):
        make_row(
            db,
            "subscriber",
            channel_name="product-status",
            entity_id=entity.entity_id,
            url=f"https://{entity.name}",
        )
    assert listed(api, ours, "/v1/subscribers", "url") == ["https://Ours"]


def test_factory_logs_name_real_units_in_scope(api, db, fleet, ours, system):
    log = {"app_name": "jig", "timestamp": "2026-01-01T00:00:00"}
    absent = api.post("/v1/factory_logs", json={**log, "product_imei": "000000000000000"}, headers=system)
    assert absent.status_code == 400, absent.text
    assert "product_imei" in absent.json()["validation_errors"]
    other = {**log, "product_imei": fleet["other"].product_imei}
    assert api.post("/v1/factory_logs", json=other, headers=ours).status_code == 404
    mine = {**log, "product_imei": fleet["mine"].product_imei}
    assert api.post("/v1/factory_logs", json=mine, headers=ours).status_code == 201
