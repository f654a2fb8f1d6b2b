"""GET /v1/current_enable_status: the doc's fields per unit, FACTORY only, page numbers and the
keyset walk that stays exact while units are added, removed and changed during an ERP sync."""

from __future__ import annotations

import pytest

from db.models.product import Product, ProductEntityLinker
from domain.permissions import Permission
from tests.utils.factories import make_product
from tests.utils.fleet_data import headers, set_enable, set_state
from tests.utils.response_schema import assert_conforms


@pytest.fixture(scope="module")
def factory(fleet_session):
    return headers(fleet_session, Permission.FACTORY)


def statuses(api, auth, status=200, **params):
    response = api.get("/v1/current_enable_status", params=params, headers=auth)
    assert response.status_code == status, response.text
    return assert_conforms(response, "/v1/current_enable_status")


def test_every_field(api, factory, fleet):
    body = statuses(api, factory, page=1, results_per_page=2)
    assert (body["status"], body["message"]) == ("success", "enable_histories retrieved")
    assert body["data"] == [
        {
            "current_enable_state": "enabled",
            "current_state_type": 5,
            "date": fleet.rows["enable"].date.isoformat(),
            "dcm_enabled_flag": True,
            "entity": "A Test Entity",
            "entity_id": fleet.entity_a.entity_id,
            "hardware_type": "BB17SMART_v2",
            "prev_enable_state": "pending_enabled",
            "product_imei": "000000000000001",
            "product_type_id": fleet.v2.product_type_id,
            "serial_number": "BB17SMART-150127-0608",
            "total_accessory_energy": 12.5,
            "user": "erp@example.com",
        },
        {  # no enable history, no state, no parameter yet
            "current_enable_state": None,
            "current_state_type": None,
            "date": None,
            "dcm_enabled_flag": False,
            "entity": "A Test Entity",
            "entity_id": fleet.entity_a.entity_id,
            "hardware_type": "BB17SMART_v2",
            "prev_enable_state": None,
            "product_imei": "000000000000002",
            "product_type_id": fleet.v2.product_type_id,
            "serial_number": fleet.bare.serial_number,
            "total_accessory_energy": None,
            "user": None,
        },
    ]
    assert (body["num_results"], body["page"], body["next_after"]) == (3, 1, "000000000000002")


def test_page_numbers_as_the_doc(api, factory):
    body = statuses(api, factory, page=2, results_per_page=2)
    assert [row["product_imei"] for row in body["data"]] == ["000000000000003"]
    assert (body["data"][0]["entity"], body["next_after"]) == ("B Other Entity", None)
    assert statuses(api, factory, page=3, results_per_page=2)["data"] == []


def test_factory_level_and_entity_scope(api, fleet_session, fleet):
    assert statuses(api, headers(fleet_session, Permission.ADMIN), status=403)["status"] == "error"
    body = statuses(api, headers(fleet_session, Permission.FACTORY, fleet.entity_b))
    assert ([row["product_imei"] for row in body["data"]], body["num_results"]) == (["000000000000003"], 1)
    body = statuses(api, headers(fleet_session, Permission.FACTORY), page=0, status=400)
    assert body["validation_errors"] == {"page": "Must be 1 or more"}


def test_a_walk_sees_every_unit_once_while_units_change(api, factory, fleet_session, fleet):
    """An ERP walks with `next_after` while the factory adds units (before and after its position),
    a unit is removed and others change state: every unit that existed through the walk comes once."""
    session = fleet_session
    made = [
        make_product(session, imei=f"5{n:014d}", product_type=fleet.v2, entity=fleet.entity_a)
        for n in range(6)
    ]
    seen: list[str] = []
    after = None
    page = 0
    while True:
        params = {"results_per_page": 2} | ({"after": after} if after else {})
        body = statuses(api, factory, **params)
        seen += [row["product_imei"] for row in body["data"]]
        page += 1
        if page == 2:
            # before the walk's position: would shift every later page of an offset walk
            make_product(session, imei="000000000000000", product_type=fleet.v2, entity=fleet.entity_a)
            make_product(session, imei="599999999999999", product_type=fleet.v2, entity=fleet.entity_a)
            set_state(session, made[4], 5)
            set_enable(session, made[5], "pending_enabled", "init", fleet.now)
            gone = made[0]
            session.query(ProductEntityLinker).filter_by(product_imei=gone.product_imei).delete()
            session.delete(gone)
            session.commit()
        after = body["next_after"]
        if after is None:
            break
    throughout = ["000000000000001", "000000000000002", "000000000000003"] + [
        p.product_imei for p in made[1:]
    ]
    assert sorted(set(seen)) == sorted(seen), "a unit came twice"
    assert set(throughout) <= set(seen), "a unit was skipped"
    assert "599999999999999" in seen  # added ahead of the walk: the ERP gets it in this sync
    assert session.get(Product, "000000000000000") is not None
