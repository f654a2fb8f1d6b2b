"""The demo data set loads through the domain services, once, with units in several states."""

from __future__ import annotations

from sqlalchemy import func, select

from clients.repair import workflow_id
from core.clock import utcnow
from db.models.product import Product
from db.models.repair import Repair
from domain.lifecycle.demo import KENYA, PASSWORD, RWANDA, UNITS, load_demo_data
from domain.lifecycle.states import current_state_name
from domain.scope import unit_entity_id


def test_demo_data_loads_once_with_units_in_several_states(db):
    demo = load_demo_data(db, utcnow())
    db.commit()
    assert demo.created and len(demo.units) == len(UNITS)
    for unit in demo.units:
        product = db.get(Product, unit.imei)
        assert current_state_name(db, product) == unit.state
    states = {u.state for u in demo.units}
    assert {"STORED", "SHIPPED", "ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"} <= states
    entities = {u.entity for u in demo.units}
    assert {KENYA, RWANDA, None} == entities
    in_rwanda = next(u for u in demo.units if u.entity == RWANDA)
    assert unit_entity_id(db, in_rwanda.imei) != 1

    again = load_demo_data(db, utcnow())
    db.commit()
    assert not again.created and again.units == demo.units
    assert db.scalar(select(func.count()).select_from(Product)) == len(UNITS)


async def test_both_repair_flows_open_on_the_demo_units_in_repair(stack, db):
    demo = load_demo_data(db, utcnow())
    db.commit()
    for entity, flow in ((KENYA, "control_unit_repair"), (RWANDA, "battery_swap")):
        unit = next(u for u in demo.units if u.entity == entity and u.state == "IN_REPAIR_SYSTEM")
        username = "tech@kenya.demo.example" if entity == KENYA else "tech@rwanda.demo.example"
        login = await stack.http.post("/v1/auth/login", data={"username": username, "password": PASSWORD})
        token = login.json()["message"]["login_successful"]["API_token"]
        r = await stack.http.get(
            f"/v1/products/{unit.imei}/get_repair", headers={"Authorization": f"Token token={token}"}
        )
        assert r.status_code == 200, r.text
        repair_id = r.json()["data"]["repair_id"]
        description = await stack.client.get_workflow_handle(workflow_id(repair_id)).describe()
        assert description.workflow_type == "RepairWorkflow"
        db.expire_all()
        assert db.get(Repair, repair_id).workflow_name == flow
