"""The parameter endpoints: POST/PUT /v1/parameters (and part_parameters), the unit's parameter history,
suggest_energy_limit; their messages, 400s, levels and ENTITY scope."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from db.models.parts import DefaultEnergyLimit
from db.models.software import Parameter
from db.session import get_sessionmaker
from domain.lifecycle.reference import STATE_TYPE_IDS
from domain.permissions import Permission, Scope
from tests.utils.factories import auth_headers, make_entity, make_parameter_type, make_product
from tests.utils.repair_data import unit_in_repair
from tests.utils.response_schema import assert_conforms


@pytest.fixture
def system(db):
    return auth_headers(db, Permission.SYSTEM)


def statuses(imei: str) -> list[tuple[str, str]]:
    with get_sessionmaker()() as session:
        query = select(Parameter).where(Parameter.product_imei == imei).order_by(Parameter.parameter_id)
        return [(p.value, p.status) for p in session.scalars(query)]


async def test_post_put_and_refusals(stack, db, system):
    imei = make_product(db).product_imei
    kind = make_parameter_type(db, data_type="int", rules={"min": 1, "max": 9})
    body = {"parameter_type_id": kind.parameter_type_id, "product_imei": imei, "value": "3"}
    created = await stack.http.post("/v1/parameters", json=body, headers=system)
    assert created.status_code == 201, created.text
    row = assert_conforms(created, "/v1/parameters")
    assert (row["status"], row["value"], row["date_added"], row["date_removed"]) == (
        "pending",
        "3",
        None,
        None,
    )
    changed = await stack.http.put(
        f"/v1/parameters/{row['parameter_id']}", json={"value": "4"}, headers=system
    )
    assert changed.status_code == 200 and changed.json()["parameter_id"] != row["parameter_id"]
    assert statuses(imei) == [("3", "expired"), ("4", "pending")]
    refused = await stack.http.put(
        f"/v1/parameters/{row['parameter_id']}", json={"value": "5"}, headers=system
    )
    assert refused.status_code == 409
    for bad, field in (
        ({**body, "value": "10"}, "value"),
        ({**body, "value": 3}, "value"),
        ({**body, "status": "active"}, "status"),
        ({**body, "parameter_type_id": 999999}, "parameter_type_id"),
    ):
        r = await stack.http.post("/v1/parameters", json=bad, headers=system)
        assert r.status_code == 400, (bad, r.text)
        assert field in r.json()["validation_errors"], r.json()
    assert (
        await stack.http.post("/v1/parameters", json=body, headers=auth_headers(db, Permission.FACTORY))
    ).status_code == 403
    assert statuses(imei) == [("3", "expired"), ("4", "pending")]
    listed = await stack.http.get("/v1/parameters", headers=system)  # reads stay with the table API
    assert listed.json()["num_results"] == 2


async def test_entity_scope(stack, db):
    mine, theirs = make_entity(db), make_entity(db)
    other = make_product(db, entity=theirs).product_imei
    kind = make_parameter_type(db)
    headers = auth_headers(db, Permission.SYSTEM, scope=Scope.ENTITY, entity_id=mine.entity_id)
    body = {"parameter_type_id": kind.parameter_type_id, "product_imei": other, "value": "1"}
    assert (await stack.http.post("/v1/parameters", json=body, headers=headers)).status_code == 404
    assert (
        await stack.http.get(f"/v1/products/{other}/parameters/history", headers=headers)
    ).status_code == 404
    r = await stack.http.put(
        f"/v1/products/{other}/suggest_energy_limit", json={"energy_limit": "5"}, headers=headers
    )
    assert r.status_code == 404
    assert statuses(other) == []


async def test_history_shape_and_dates(stack, db, system):
    unit = unit_in_repair(db, in_repair=False)
    battery = unit.parts["battery10"].part_id
    kind = make_parameter_type(db)
    posted = await stack.http.post(
        "/v1/part_parameters",
        json={"parameter_type_id": kind.parameter_type_id, "part_id": battery, "value": "2"},
        headers=system,
    )
    assert posted.status_code == 201, posted.text
    await stack.http.post(
        "/v1/parameters",
        json={"parameter_type_id": kind.parameter_type_id, "product_imei": unit.imei, "value": "1"},
        headers=system,
    )
    overview = auth_headers(db, Permission.OVERVIEW)
    full = await stack.http.get(f"/v1/products/{unit.imei}/parameters/history", headers=overview)
    assert full.status_code == 200
    answer = assert_conforms(full, "/v1/products/{imei}/parameters/history")
    assert answer["message"] == f"Full parameter history for #{unit.imei} returned successfully"
    products = answer["data"]["product_parameters"]
    assert [(p["value"], p["status"]) for p in products] == [("1", "pending")]
    assert products[0]["product_parameter_id"] == products[0]["parameter_id"]
    parts = answer["data"]["part_parameters"]
    assert sorted(parts) == sorted(str(p.part_id) for p in unit.parts.values())
    assert [(p["value"], p["status"], p["part_id"]) for p in parts[str(battery)]] == [
        ("2", "pending", battery)
    ]
    at = await stack.http.get(
        f"/v1/products/{unit.imei}/parameters/history",
        params={"date": "2030-01-01T00:00:00Z"},
        headers=overview,
    )
    assert at.status_code == 200, at.text
    assert (
        assert_conforms(at, "/v1/products/{imei}/parameters/history")["data"]["product_parameters"] == []
    )  # nothing applied yet
    in_body = await stack.http.request(
        "GET", f"/v1/products/{unit.imei}/parameters/history", json={"date": "2030-01-01"}, headers=overview
    )
    assert in_body.status_code == 200 and "2030-01-01" in in_body.json()["message"]
    bad = await stack.http.get(
        f"/v1/products/{unit.imei}/parameters/history", params={"date": "soon"}, headers=overview
    )
    assert bad.status_code == 400 and "date" in bad.json()["validation_errors"]
    for wrong in (
        "2030-02-30",
        "2030-01-01T24:00:00",
        "2030-01-01T00:00:00+2",
    ):  # a day or offset that is not
        refused = await stack.http.get(
            f"/v1/products/{unit.imei}/parameters/history", params={"date": wrong}, headers=overview
        )
        assert refused.status_code == 400 and refused.json()["status"] == "validation-error", wrong
    zoned = await stack.http.get(
        f"/v1/products/{unit.imei}/parameters/history",
        params={"date": "2030-01-01T02:00:00+02:00"},
        headers=overview,
    )
    assert zoned.status_code == 200 and "2030-01-01T00:00:00 " in zoned.json()["message"]  # as naive UTC
    missing = await stack.http.get("/v1/products/000000000000999/parameters/history", headers=overview)
    assert missing.status_code == 404


async def test_suggest_energy_limit(stack, db):
    unit = unit_in_repair(db, in_repair=False)
    db.add(
        DefaultEnergyLimit(
            battery_type_id=unit.catalog.types["battery10"].part_type_id,
            state_type_id=STATE_TYPE_IDS["ACTIVATED"],
            energy_limit=50,
            max_energy_limit=100,
            min_energy_limit=10,
        )
    )
    db.commit()
    technical = auth_headers(db, Permission.TECHNICAL)
    path = f"/v1/products/{unit.imei}/suggest_energy_limit"
    r = await stack.http.put(path, json={"energy_limit": "150"}, headers=technical)
    assert r.status_code == 200, r.text
    data = assert_conforms(r, "/v1/products/{imei}/suggest_energy_limit")["data"]
    assert {
        k: data[k] for k in ("requested", "applied", "max_energy_limit", "min_energy_limit", "bounded")
    } == {
        "requested": 150.0,
        "applied": 100.0,
        "max_energy_limit": 100.0,
        "min_energy_limit": 10.0,
        "bounded": True,
    }
    assert statuses(unit.imei) == [("100.0", "pending")]
    assert (await stack.http.put(path, json={"energy_limit": 150}, headers=technical)).status_code == 400
    overview = auth_headers(db, Permission.OVERVIEW)
    assert (await stack.http.put(path, json={"energy_limit": "50"}, headers=overview)).status_code == 403
    assert (
        r.json()["message"]
        == f"Energy limit of #{unit.imei} set to 100.0 (bounded): pending until the unit next connects"
    )


async def test_concurrent_requests_apply_in_turn(stack, db, system):
    imei = make_product(db).product_imei
    kind = make_parameter_type(db)
    bodies = [
        {"parameter_type_id": kind.parameter_type_id, "product_imei": imei, "value": str(v)} for v in range(6)
    ]
    answers = await asyncio.gather(
        *(stack.http.post("/v1/parameters", json=b, headers=system) for b in bodies)
    )
    assert all(a.status_code == 201 for a in answers)
    final = statuses(imei)
    assert [s for _, s in final].count("pending") == 1 and [s for _, s in final].count("expired") == 5
    # The one left pending is the last one applied (ids are given in commit order under the unit's lock).
    assert final[-1][1] == "pending"
