"""A unit's lifecycle State Type and the transitions the doc allows between them (`change_state`).

The doc's "Allowed Transitions" table is data (`TRANSITIONS`), run by the `transitions` library as the
repair flows are: one state machine, read-only after import, asked which moves a state allows.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from transitions import Machine

from db.models.history import State, StateType
from db.models.product import Product
from domain.errors import ValidationFailed
from domain.events import PRODUCT_STATUS, publish
from domain.lifecycle.reference import STATE_TYPE_IDS, STATE_TYPES
from domain.webhooks.payloads import product_status_data

NON_EXISTANT, STORED, ACTIVATED = "NON_EXISTANT", "STORED", "ACTIVATED"
IN_REPAIR_SYSTEM, TERMINATED = "IN_REPAIR_SYSTEM", "TERMINATED"

# The doc's "Allowed Transitions" table: original State Type -> where it may go.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "NON_EXISTANT": ("STORED",),
    "STORED": ("SHIPPED", "TERMINATED"),
    "SHIPPED": ("ACTIVATING", "ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"),
    "ACTIVATING": ("ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"),
    "ACTIVATED": ("MONITORED", "UNMONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"),
    "MONITORED": ("UNMONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"),
    "UNMONITORED": ("MONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"),
    "IN_REPAIR_SYSTEM": ("ACTIVATED", "TERMINATED"),
    "TERMINATED": (),
}
INVALID_DATA = "Your request contained invalid data. See 'data' or 'validation_errors' for exact details"

# Each State Type is its own trigger: "move to ACTIVATED" is the trigger `ACTIVATED`.
_MACHINE = Machine(
    model=None,
    states=list(STATE_TYPES.values()),
    transitions=[
        {"trigger": dest, "source": source, "dest": dest}
        for source, dests in TRANSITIONS.items()
        for dest in dests
    ],
    initial=None,
    auto_transitions=False,
)


def allowed_moves(state: str) -> frozenset[str]:
    """The State Types a unit in `state` may move to."""
    return frozenset(_MACHINE.get_triggers(state))


def current_state_name(session: Session, product: Product) -> str:
    """The unit's current State Type; a unit without any State is NON_EXISTANT."""
    if product.latest_state_id is None:
        return NON_EXISTANT
    name = session.scalar(
        select(StateType.name)
        .join(State, State.current_state_type == StateType.state_type_id)
        .where(State.state_id == product.latest_state_id)
    )
    return name or NON_EXISTANT


def _refused(current: str, new_state: int | str) -> ValidationFailed:
    error = f" A unit may not transition from state '{STATE_TYPE_IDS.get(current)}' to state '{new_state}'"
    return ValidationFailed(
        INVALID_DATA, validation_errors={"state_transition": error}, data={"state_transition": error}
    )


def change_product_state(session: Session, product: Product, new_state: str, user: str) -> State:
    """Record a State row moving `product` to `new_state` if the doc's table allows it (else 400),
    point `latest_state_id` at it and publish the product-status webhook."""
    current = current_state_name(session, product)
    if new_state not in allowed_moves(current):
        raise _refused(current, STATE_TYPE_IDS.get(new_state, new_state))
    state = State(
        product_imei=product.product_imei,
        prev_state_type=STATE_TYPE_IDS[current],
        current_state_type=STATE_TYPE_IDS[new_state],
    )
    session.add(state)
    session.flush()
    product.latest_state_id = state.state_id
    publish(
        session,
        PRODUCT_STATUS,
        product_status_data(
            product.product_imei,
            state=STATE_TYPE_IDS[new_state],
            enabled_status=enabled_status(product),
            user=user,
        ),
        product_imei=product.product_imei,
    )
    return state


def change_state_by_id(session: Session, product: Product, new_state: int, user: str) -> State | None:
    """`change_state`'s payload is a state_type_id: an unknown id is refused like a forbidden move.
    Asking for the state the unit is in changes nothing (a retried request must not fail)."""
    name = STATE_TYPES.get(new_state)
    current = current_state_name(session, product)
    if name is None:
        raise _refused(current, new_state)
    if name == current and product.latest_state_id is not None:
        return None
    return change_product_state(session, product, name, user)


def enabled_status(product: Product) -> str:
    if product.desired_enable_flag != product.current_enable_flag:
        return "pending_enabled" if product.desired_enable_flag else "pending_disabled"
    return "enabled" if product.current_enable_flag else "disabled"
