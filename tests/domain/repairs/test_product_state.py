"""The doc's State Types and the transitions it allows between them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models.history import State, StateType
from domain.errors import ValidationFailed
from domain.repairs.product_state import (
    ALLOWED_TRANSITIONS,
    STATE_TYPES,
    change_product_state,
    current_state_name,
    ensure_state_types,
)
from tests.utils.factories import make_product
from tests.utils.repair_data import move_to


def test_state_types_are_the_docs_with_their_ids(db):
    ensure_state_types(db)
    ensure_state_types(db)  # idempotent
    db.commit()
    assert dict(db.execute(select(StateType.state_type_id, StateType.name)).all()) == STATE_TYPES
    db.add(StateType(name="NEW_ONE"))
    db.flush()  # the sequence was moved past the fixed ids
    assert db.scalar(select(StateType.state_type_id).where(StateType.name == "NEW_ONE")) == 10


def test_the_transition_table_is_the_docs():
    assert ALLOWED_TRANSITIONS["IN_REPAIR_SYSTEM"] == {"ACTIVATED", "TERMINATED"}
    assert ALLOWED_TRANSITIONS["TERMINATED"] == set()
    assert ALLOWED_TRANSITIONS["SHIPPED"] == {"ACTIVATING", "ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"}
    assert set(ALLOWED_TRANSITIONS) == set(STATE_TYPES.values())


def test_allowed_moves_write_a_state_row_and_refused_ones_say_why(db):
    product = make_product(db)
    assert current_state_name(db, product) == "NON_EXISTANT"
    move_to(db, product, "STORED", "SHIPPED", "ACTIVATED", "IN_REPAIR_SYSTEM")
    with pytest.raises(ValidationFailed) as refused:
        change_product_state(db, product, "STORED", "tech")
    assert refused.value.validation_errors == {
        "state_transition": " A unit may not transition from state '8' to state '2'"
    }
    state = change_product_state(db, product, "ACTIVATED", "tech")
    db.commit()
    assert (state.prev_state_type, state.current_state_type) == (8, 5)
    assert product.latest_state_id == state.state_id
    assert current_state_name(db, product) == "ACTIVATED"
    assert (
        db.scalar(select(State).where(State.state_id == state.state_id)).product_imei == product.product_imei
    )
