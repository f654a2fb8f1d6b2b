"""GET /v1/dashboard2: every field against the fixture fleet, the doc's `entities` caveat, filters and
orders on computed fields, counts, paging and the ENTITY scope."""

from __future__ import annotations

import json

import pytest

from api.tables.serialize import serializer_for
from db.models.alert import Alert
from db.models.organisation import Entity
from db.models.product import ProductNote
from domain.permissions import Permission
from tests.utils.fleet_data import headers
from tests.utils.response_schema import assert_conforms


@pytest.fixture(scope="module")
def overview(fleet_session):
    return headers(fleet_session, Permission.OVERVIEW)


def dashboard(api, auth, q=None, status=200, **params):
    if q is not None:
        params["q"] = json.dumps(q)
    response = api.get("/v1/dashboard2", params=params, headers=auth)
    assert response.status_code == status, response.text
    return assert_conforms(response, "/v1/dashboard2")


def imeis(body) -> list[str]:
    return [obj["product_imei"] for obj in body["data"]]


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def test_every_field_of_a_described_unit(api, overview, fleet):
    body = dashboard(
        api, overview, {"filters": [{"name": "product_imei", "op": "eq", "val": "000000000000001"}]}
    )
    full, rows = fleet.full, fleet.rows
    assert body["num_results"] == 3 and body["num_results_filtered"] == 1
    assert body["data"] == [
        {
            "product_imei": "000000000000001",
            "serial_number": "BB17SMART-150127-0608",
            "imsi": "204040000000001",
            "hardware_type": "BB17SMART_v2",
            "hub_id": fleet.hub.hub_id,
            "shop_id": None,
            # the newest connection with a location, not the newest connection (it failed to locate)
            "location_date": iso(rows["located"].date),
            "latitude": "-0.400234",
            "longitude": "34.599241",
            "error_radius": 69583,
            "software": "2.16",
            "software_lock": "2.15",
            "pending_software": "2.17",
            "pending_software_created_at": iso(rows["pending_software"].created_at),
            "state": "activated",
            "state_date": iso(rows["state"].created_at),
            "recent_connection": iso(rows["recent"].date),
            "capacity_limit": "7",  # the active energy_limit, as stored; not the removed 5 nor the pending 9
            "current_enable_flag": True,
            "desired_enable_flag": True,
            "current_tamper_flag": False,
            "desired_tamper_flag": True,
            "created_at": iso(full.created_at),
            "created_by": "factory@example.com",
            "modified_at": iso(full.modified_at),
            "modified_by": "factory@example.com",
            "entities": [serializer_for(Entity).from_object(fleet.entity_a)],
            "alerts": [serializer_for(Alert).from_object(rows["alert"])],  # the dismissed one is not open
            "notes": [serializer_for(ProductNote).from_object(rows["note"])],
        }
    ]
    entity = body["data"][0]["entities"][0]
    assert (entity["name"], entity["bboxx_company_flag"], entity["tariff"]) == (
        "A Test Entity",
        True,
        "A Test Tariff",
    )


def test_a_bare_unit_has_nulls_and_empty_lists(api, overview, fleet):
    (obj,) = dashboard(
        api, overview, {"filters": [{"name": "product_imei", "op": "eq", "val": "000000000000002"}]}
    )["data"]
    computed = ("location_date", "latitude", "software", "software_lock", "pending_software", "state")
    assert all(obj[key] is None for key in (*computed, "state_date", "recent_connection", "capacity_limit"))
    # a removed link to entity B is history, not a current entity
    assert [e["name"] for e in obj["entities"]] == ["A Test Entity"]
    assert (obj["alerts"], obj["notes"]) == ([], [])


@pytest.mark.parametrize("op", ["eq", "=", "==", "equals"])
def test_entities_filters_by_entity_name(api, overview, op):
    body = dashboard(api, overview, {"filters": [{"name": "entities", "op": op, "val": "A Test Entity"}]})
    assert imeis(body) == ["000000000000001", "000000000000002"]
    assert (body["num_results"], body["num_results_filtered"]) == (3, 2)


def test_entities_other_operators_and_fields(api, overview):
    def only(*filters):
        return imeis(dashboard(api, overview, {"filters": list(filters)}))

    assert only({"name": "entities", "op": "like", "val": "B %"}) == ["000000000000003"]
    assert only({"name": "entities", "op": "ne", "val": "A Test Entity"}) == ["000000000000003"]
    assert only({"name": "entities__tariff", "op": "eq", "val": "A Test Tariff"}) == [
        "000000000000001",
        "000000000000002",
    ]
    assert only(
        {"name": "entities", "op": "any", "val": {"name": "bboxx_company_flag", "op": "eq", "val": False}}
    ) == ["000000000000003"]
    # the bare unit's past link to B does not make it one of B's units
    assert only({"name": "entities", "op": "eq", "val": "B Other Entity"}) == ["000000000000003"]
    assert only({"name": "entities", "op": "is_null"}) == []


def test_filters_on_computed_fields(api, overview):
    def only(*filters):
        return imeis(dashboard(api, overview, {"filters": list(filters)}))

    assert only({"name": "capacity_limit", "op": "gt", "val": 15}) == ["000000000000003"]  # numbers, not text
    assert only({"name": "capacity_limit", "op": "lt", "val": 15}) == ["000000000000001"]
    assert only({"name": "state", "op": "eq", "val": "activated"}) == ["000000000000001"]
    assert only({"name": "state", "op": "is_null"}) == ["000000000000002"]
    assert only({"name": "hardware_type", "op": "eq", "val": "Hub"}) == ["000000000000003"]
    assert only(
        {"name": "software", "op": "eq", "val": "2.16"}, {"name": "pending_software", "op": "is_not_null"}
    ) == ["000000000000001"]
    assert only({"name": "recent_connection", "op": "ge", "field": "location_date"}) == [
        "000000000000001",
        "000000000000003",
    ]
    assert only(
        {"or": [{"name": "software_lock", "op": "eq", "val": "2.15"}, {"name": "hub_id", "op": "is_null"}]}
    ) == [
        "000000000000001",
        "000000000000002",
        "000000000000003",
    ]


def test_order_by_computed_fields(api, overview):
    def ordered(field, direction):
        return imeis(dashboard(api, overview, {"order_by": [{"field": field, "direction": direction}]}))

    # NULLs sort last ascending in PostgreSQL; the imei breaks ties
    assert ordered("capacity_limit", "desc") == ["000000000000002", "000000000000003", "000000000000001"]
    assert ordered("capacity_limit", "asc") == ["000000000000001", "000000000000003", "000000000000002"]
    assert ordered("recent_connection", "desc")[1:] == ["000000000000003", "000000000000001"]
    assert ordered("entities", "desc") == ["000000000000003", "000000000000001", "000000000000002"]


def test_paging_and_counts(api, overview):
    body = dashboard(
        api,
        overview,
        {"order_by": [{"field": "product_imei", "direction": "desc"}]},
        page=2,
        results_per_page=2,
    )
    assert imeis(body) == ["000000000000001"]
    assert (body["num_results"], body["num_results_filtered"], body["page"]) == (3, 3, 2)
    body = dashboard(api, overview, {"limit": 2}, results_per_page=10)
    assert (len(body["data"]), body["num_results_filtered"]) == (2, 2)


def test_entity_user_sees_and_counts_its_units_only(api, fleet_session, fleet):
    entity_b_user = headers(fleet_session, Permission.OVERVIEW, fleet.entity_b)
    body = dashboard(api, entity_b_user)
    assert imeis(body) == ["000000000000003"]
    assert (body["num_results"], body["num_results_filtered"]) == (1, 1)
    body = dashboard(
        api, entity_b_user, {"filters": [{"name": "entities", "op": "eq", "val": "A Test Entity"}]}
    )
    assert (body["data"], body["num_results"], body["num_results_filtered"]) == ([], 1, 0)


@pytest.mark.parametrize(
    "q",
    [
        {"filters": [{"name": "no_such_field", "op": "eq", "val": 1}]},
        {"filters": [{"name": "capacity_limit", "op": "gt", "val": "lots"}]},
        {"filters": [{"name": "entities", "op": "has", "val": {"name": "name", "op": "eq", "val": "x"}}]},
        {"order_by": [{"field": "nope"}]},
        {"filter": []},
    ],
)
def test_bad_queries_are_400(api, overview, q):
    body = dashboard(api, overview, q, status=400)
    assert "q" in body["validation_errors"]


def test_needs_a_token(api):
    assert api.get("/v1/dashboard2").status_code == 401


def test_group_by_and_single_on_the_view(api, overview):
    grouped = dashboard(api, overview, {"group_by": [{"field": "hardware_type"}]})
    assert imeis(grouped) == ["000000000000001", "000000000000003"]  # one per type, the lowest imei
    single = dashboard(
        api, overview, {"filters": [{"name": "state", "op": "eq", "val": "in_repair_system"}], "single": True}
    )
    assert imeis(single) == ["000000000000003"]
    assert dashboard(api, overview, {"single": True}, status=400)["message"] == "Multiple results found"
