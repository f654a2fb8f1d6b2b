"""The doc's State Types and the transitions it allows between them, run on `transitions`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models.history import State, StateType
from domain.errors import ValidationFailed
from domain.lifecycle.reference import STATE_TYPES
from domain.lifecycle.states import (
    TRANSITIONS,
    allowed_moves,
    change_product_state,
    change_state_by_id,
    current_state_name,
)
from tests.utils.factories import make_product, reference_data
from tests.utils.repair_data import move_to


def test_state_types_are_the_docs_with_their_ids(db):
    reference_data(db)
    reference_data(db)  # idempotent
    assert dict(db.execute(select(StateType.state_type_id, StateType.name)).all()) == STATE_TYPES
    db.add(StateType(name="NEW_ONE"))
    db.flush()  # the sequence was moved past the fixed ids
    assert db.scalar(select(StateType.state_type_id).where(StateType.name == "NEW_ONE")) == 10


def test_the_machine_allows_exactly_the_docs_table():
    assert set(TRANSITIONS) == set(STATE_TYPES.values())
    for source, dests in TRANSITIONS.items():
        assert allowed_moves(source) == set(dests)
    assert allowed_moves("IN_REPAIR_SYSTEM") == {"ACTIVATED", "TERMINATED"}
    assert allowed_moves("TERMINATED") == set()
    assert allowed_moves("NON_EXISTANT") == {"STORED"}


def test_allowed_moves_write_a_state_row_and_refused_ones_say_why(db):
    product = make_product(db)
    assert current_state_name(db, product) == "NON_EXISTANT"
    move_to(db, product, "STORED", "SHIPPED", "ACTIVATED", "IN_REPAIR_SYSTEM")
    with pytest.raises(ValidationFailed) as refused:
        change_product_state(db, product, "STORED", "tech")
    assert refused.value.validation_errors == {
        "state_transition": " A unit may not transition from state '8' to state '2'"
    }
    with pytest.raises(ValidationFailed) as unknown:
        change_state_by_id(db, product, 42, "tech")
    assert unknown.value.validation_errors == {
        "state_transition": " A unit may not transition from state '8' to state '42'"
    }
    state = change_state_by_id(db, product, 5, "tech")
    db.commit()
    assert (state.prev_state_type, state.current_state_type) == (8, 5)
    assert product.latest_state_id == state.state_id
    assert current_state_name(db, product) == "ACTIVATED"
    assert (
        db.scalar(select(State).where(State.state_id == state.state_id)).product_imei == product.product_imei
    )
