"""get_repair's rules (state, one repair per unit, selector), tokens, permission levels, ENTITY scope,
list_current_states, and what an operator finds in Temporal."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager

from sqlalchemy import event, func, select

from contracts.search import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID
from core.clock import utcnow
from db.models.repair import Repair
from db.session import get_engine
from domain.permissions import Permission, Scope
from domain.repairs.repairs import open_repair
from domain.scope import UnitScope
from tests.utils.factories import make_entity
from tests.utils.repair_data import RepairApi, selector_rule, technician, unit_in_repair


def repairs(db, imei: str) -> int:
    return db.scalar(select(func.count()).select_from(Repair).where(Repair.product_imei == imei))


async def test_get_repair_needs_a_unit_in_repair_system(stack, db):
    unit = unit_in_repair(db, in_repair=False)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers)
    response = await api.get_repair(unit.imei)
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Product {unit.imei} is not in IN_REPAIR_SYSTEM state (it is ACTIVATED): no repair can be started"
    )
    assert repairs(db, unit.imei) == 0
    assert (await api.get_repair("999999999999999")).status_code == 404


async def test_one_unit_never_gets_two_repairs(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers)
    responses = await asyncio.gather(*(api.get_repair(unit.imei) for _ in range(5)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["data"]["repair_id"] for r in responses}) == 1
    assert sorted(r.json()["message"] for r in responses) == ["Repair created"] + ["Repair found"] * 4
    assert repairs(db, unit.imei) == 1


async def test_a_user_rule_beats_an_entity_rule(stack, db):
    entity = make_entity(db)
    entity.geic = "GEIC-RW-1"
    db.commit()
    unit = unit_in_repair(db, entity=entity)
    user, headers = technician(db)
    api = RepairApi(stack.http, headers)
    selector_rule(db, unit, "ENTITY", "GEIC-RW-1", "battery_swap")
    selector_rule(db, unit, "USER", user.username, "control_unit_repair")
    first = await api.open(unit.imei)
    assert db.get(Repair, first).workflow_name == "control_unit_repair"
    assert await api.ident(first) == "ss_state_check"

    other = unit_in_repair(db, entity=entity)
    _, other_headers = technician(db)  # no USER rule for this one: the entity's rule applies
    second = await RepairApi(stack.http, other_headers).open(other.imei)
    assert db.get(Repair, second).workflow_name == "battery_swap"
    assert await api.ident(second) == "swap_intake"


async def test_a_rule_without_workflow_name_refuses_with_a_clear_message(stack, db):
    unit = unit_in_repair(db)
    user, headers = technician(db)
    selector_rule(db, unit, "USER", user.username, None)
    response = await RepairApi(stack.http, headers).get_repair(unit.imei)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith(
        "A repair workflow cannot be created for this unit: repair_workflow_selector rule"
    )
    assert f"(USER {user.username}) forbids it for product type BB17SMART_v2" in message
    assert repairs(db, unit.imei) == 0


async def test_no_flow_for_the_product_type_or_an_unknown_flow_name(stack, db):
    unit = unit_in_repair(db, product_type_name="Unknown Gadget")
    user, headers = technician(db)
    api = RepairApi(stack.http, headers)
    response = await api.get_repair(unit.imei)
    assert (
        response.status_code == 400
        and "No repair workflow is configured for product type Unknown Gadget" in response.text
    )
    selector_rule(db, unit, "USER", user.username, "no_such_flow")
    response = await api.get_repair(unit.imei)
    assert response.status_code == 400 and "unknown repair workflow 'no_such_flow'" in response.text


async def test_tokens_and_permission_levels(stack, db):
    unit = unit_in_repair(db)
    _, tech_headers = technician(db)
    _, overview_headers = technician(db, Permission.OVERVIEW)
    repair_id = await RepairApi(stack.http, tech_headers).open(unit.imei)
    viewer = RepairApi(stack.http, overview_headers)
    assert (await viewer.current_state(repair_id)).status_code == 200
    assert (await viewer.history(repair_id)).status_code == 200
    assert (await viewer.list_current_states()).status_code == 200
    for call in (
        viewer.get_repair(unit.imei),
        viewer.send_inputs(repair_id, {"arrival_date": "2024-01-01"}),
        viewer.send_event(repair_id, "battery.charged"),
        viewer.undo(repair_id),
    ):
        response = await call
        assert response.status_code == 403 and response.json()["status"] == "error"
    anonymous = RepairApi(stack.http, {})
    assert (await anonymous.current_state(repair_id)).status_code == 401
    assert (await anonymous.send_inputs(repair_id, {"arrival_date": "2024-01-01"})).status_code == 401
    assert (
        await RepairApi(stack.http, {"Authorization": "Token token=" + "x" * 64}).history(repair_id)
    ).status_code == 401


async def repairs_of_two_entities(stack, db, mine, theirs):
    """A repair on a unit of each entity, opened by a SYSTEM user (`admin`), and an ENTITY technician of `mine`."""
    my_unit, their_unit = unit_in_repair(db, entity=mine), unit_in_repair(db, entity=theirs)
    _, admin_headers = technician(db, Permission.SYSTEM)
    admin = RepairApi(stack.http, admin_headers)
    my_repair, their_repair = await admin.open(my_unit.imei), await admin.open(their_unit.imei)
    _, headers = technician(db, scope=Scope.ENTITY, entity_id=mine.entity_id)
    tech = RepairApi(stack.http, headers)
    return my_unit, their_unit, my_repair, their_repair, admin, tech


async def test_entity_scope_hides_other_entities_repairs(stack, db):
    mine, theirs = make_entity(db, "Repairs Mine"), make_entity(db, "Repairs Theirs")
    my_unit, their_unit, my_repair, their_repair, admin, tech = await repairs_of_two_entities(
        stack, db, mine, theirs
    )

    assert (await tech.get_repair(their_unit.imei)).status_code == 404
    for call in (
        tech.current_state(their_repair),
        tech.history(their_repair),
        tech.undo(their_repair),
        tech.send_inputs(their_repair, {"arrival_date": "2024-01-01"}),
        tech.send_event(their_repair, "battery.charged"),
    ):
        response = await call
        assert (
            response.status_code == 404 and response.json()["message"] == f"Repair {their_repair} not found"
        )
    assert (await tech.get_repair(my_unit.imei)).json()["data"]["repair_id"] == my_repair
    await tech.step(my_repair, "inputs", {"arrival_date": "2024-01-01"})
    listed = (await tech.list_current_states()).json()["data"]
    assert [r["repair_id"] for r in listed] == [my_repair]
    assert (await tech.list_current_states(entity_id=theirs.entity_id)).json()["data"] == []
    assert {r["repair_id"] for r in (await admin.list_current_states()).json()["data"]} == {
        my_repair,
        their_repair,
    }


async def test_list_current_states_in_the_docs_shape_with_its_filters(stack, db):
    north, south = make_entity(db, "North"), make_entity(db, "South")
    alice, alice_headers = technician(db)
    bob, bob_headers = technician(db)
    unit_a, unit_b = unit_in_repair(db, entity=north), unit_in_repair(db, entity=south)
    repair_a = await RepairApi(stack.http, alice_headers).open(unit_a.imei)
    repair_b = await RepairApi(stack.http, bob_headers).open(unit_b.imei)
    await RepairApi(stack.http, bob_headers).step(repair_b, "inputs", {"arrival_date": "2024-01-01"})
    api = RepairApi(stack.http, alice_headers)

    body = (await api.list_current_states()).json()
    assert body["status"] == "success" and body["message"] == "Repair states found"
    assert body["data"] == [
        {
            "created_by": bob.username,
            "product_imei": unit_b.imei,
            "repair_id": repair_b,
            "repair_state_id": "usb_diag_test",
            "repair_state_name": "USB Diagnostic Test",
        },
        {
            "created_by": alice.username,
            "product_imei": unit_a.imei,
            "repair_id": repair_a,
            "repair_state_id": "ss_state_check",
            "repair_state_name": "SMART SOLAR State Check",
        },
    ]
    ids = lambda response: [r["repair_id"] for r in response.json()["data"]]  # noqa: E731
    assert ids(await api.list_current_states(username=alice.username)) == [repair_a]
    assert ids(await api.list_current_states(entity_id=south.entity_id)) == [repair_b]
    assert ids(await api.list_current_states(repair_state="ss_state_check")) == [repair_a]
    assert ids(await api.list_current_states(repair_state="clean")) == []
    french = (
        await RepairApi(stack.http, alice_headers, "fr").list_current_states(username=bob.username)
    ).json()
    assert french["data"][0]["repair_state_name"] == "Test de diagnostic USB"
    bad = await api.list_current_states(entity_id="north")
    assert bad.status_code == 400 and bad.json()["status"] == "validation-error"


async def test_operators_find_repairs_by_search_attributes(stack, db):
    entity = make_entity(db)
    unit = unit_in_repair(db, entity=entity)
    _, headers = technician(db)
    repair_id = await RepairApi(stack.http, headers).open(unit.imei)
    description = await stack.client.get_workflow_handle(f"repair/{repair_id}").describe()
    attributes = description.typed_search_attributes
    assert (attributes.get(REPAIR_ID), attributes.get(PRODUCT_IMEI), attributes.get(ENTITY_ID)) == (
        repair_id,
        unit.imei,
        entity.entity_id,
    )
    assert (
        await description.static_summary() == f"Repair {repair_id} of unit {unit.imei}: Control unit repair"
    )


async def test_a_repair_whose_workflow_start_was_lost_is_started_by_the_next_get_repair(stack, db):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    # As if the API had died between committing the repair and starting its workflow.
    opened = open_repair(db, UnitScope(None), unit.imei, "tech@example.com", utcnow())
    db.commit()
    api = RepairApi(stack.http, headers)
    response = await api.get_repair(unit.imei)
    assert response.status_code == 200 and response.json()["message"] == "Repair found"
    assert response.json()["data"]["repair_id"] == opened.repair_id
    assert await api.ident(opened.repair_id) == "ss_state_check"
    assert repairs(db, unit.imei) == 1


@contextmanager
def database_use():
    """The first word of each statement the app's engine sends, and its connection checkouts (one per
    thread hop that reads: each hop takes a connection and hands it back)."""
    seen: dict[str, list[str]] = {"statements": [], "checkouts": []}

    def statement(conn, cursor, text, parameters, context, executemany):
        seen["statements"].append(text.split(None, 1)[0].upper())

    def checkout(dbapi_conn, record, proxy):
        seen["checkouts"].append("checkout")

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "checkout", checkout)


async def test_an_entity_users_token_level_and_scope_cost_one_checkout(stack, db):
    mine, theirs = make_entity(db, "Repairs One Hop"), make_entity(db, "Repairs Other Hop")
    my_unit, their_unit, my_repair, their_repair, admin, tech = await repairs_of_two_entities(
        stack, db, mine, theirs
    )
    _, viewer_headers = technician(db, Permission.OVERVIEW, scope=Scope.ENTITY, entity_id=mine.entity_id)

    for call, status in (
        (lambda: tech.current_state(my_repair), 200),
        (lambda: tech.history(my_repair), 200),
        (lambda: tech.current_state(their_repair), 404),
    ):
        with database_use() as seen:
            assert (await call()).status_code == status
        # The token (with its sliding expiry) and the repair's scope: two statements in one hop.
        assert seen == {"statements": ["WITH", "SELECT"], "checkouts": ["checkout"]}
    with database_use() as seen:  # the level is checked before the scope: no repair read for a 403
        assert (await RepairApi(stack.http, viewer_headers).undo(my_repair)).status_code == 403
    assert seen == {"statements": ["WITH"], "checkouts": ["checkout"]}
    with database_use() as seen:  # a GLOBAL user's scope needs no read: the workflow's 404 suffices
        assert (await admin.current_state(my_repair)).status_code == 200
    assert seen == {"statements": ["WITH"], "checkouts": ["checkout"]}
