"""A unit's lifecycle State Type and the transitions the doc allows between them (`change_state`)."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models.history import State, StateType
from db.models.product import Product
from domain.errors import ValidationFailed
from domain.events import PRODUCT_STATUS, publish
from domain.webhooks.payloads import product_status_data

# The doc's State Types and their fixed ids (seeded by migration 0003).
STATE_TYPES: dict[int, str] = {
    1: "NON_EXISTANT",
    2: "STORED",
    3: "SHIPPED",
    4: "ACTIVATING",
    5: "ACTIVATED",
    6: "MONITORED",
    7: "UNMONITORED",
    8: "IN_REPAIR_SYSTEM",
    9: "TERMINATED",
}
IN_REPAIR_SYSTEM, ACTIVATED, TERMINATED = "IN_REPAIR_SYSTEM", "ACTIVATED", "TERMINATED"

# The doc's "Allowed Transitions" table.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    "NON_EXISTANT": frozenset({"STORED"}),
    "STORED": frozenset({"SHIPPED", "TERMINATED"}),
    "SHIPPED": frozenset({"ACTIVATING", "ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"}),
    "ACTIVATING": frozenset({"ACTIVATED", "IN_REPAIR_SYSTEM", "TERMINATED"}),
    "ACTIVATED": frozenset({"MONITORED", "UNMONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"}),
    "MONITORED": frozenset({"UNMONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"}),
    "UNMONITORED": frozenset({"MONITORED", "IN_REPAIR_SYSTEM", "TERMINATED"}),
    "IN_REPAIR_SYSTEM": frozenset({"ACTIVATED", "TERMINATED"}),
    "TERMINATED": frozenset(),
}
INVALID_DATA = "Your request contained invalid data. See 'data' or 'validation_errors' for exact details"


def ensure_state_types(session: Session) -> None:
    """Insert the doc's State Types that are missing (what migration 0003 seeds)."""
    present = set(session.scalars(select(StateType.state_type_id)))
    for state_type_id, name in STATE_TYPES.items():
        if state_type_id not in present:
            session.add(StateType(state_type_id=state_type_id, name=name))
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids do not advance the sequence; the next state_type created must not collide.
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('state_type', 'state_type_id'), "
                "(SELECT MAX(state_type_id) FROM state_type))"
            )
        )


def state_type_ids(session: Session) -> dict[str, int]:
    return {name: id_ for id_, name in session.execute(select(StateType.state_type_id, StateType.name))}


def current_state_name(session: Session, product: Product) -> str:
    """The unit's current State Type; a unit without any State is NON_EXISTANT."""
    if product.latest_state_id is None:
        return "NON_EXISTANT"
    name = session.scalar(
        select(StateType.name)
        .join(State, State.current_state_type == StateType.state_type_id)
        .where(State.state_id == product.latest_state_id)
    )
    return name or "NON_EXISTANT"


def change_product_state(session: Session, product: Product, new_state: str, user: str) -> State:
    """Record a State row moving `product` to `new_state`, if the doc's table allows it (else 400)."""
    current = current_state_name(session, product)
    ids = state_type_ids(session)
    if new_state not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        error = f" A unit may not transition from state '{ids.get(current)}' to state '{ids.get(new_state)}'"
        raise ValidationFailed(
            INVALID_DATA, validation_errors={"state_transition": error}, data={"state_transition": error}
        )
    state = State(
        product_imei=product.product_imei, prev_state_type=ids[current], current_state_type=ids[new_state]
    )
    session.add(state)
    session.flush()
    product.latest_state_id = state.state_id
    publish(
        session,
        PRODUCT_STATUS,
        product_status_data(
            product.product_imei, state=ids[new_state], enabled_status=_enabled_status(product), user=user
        ),
        product_imei=product.product_imei,
    )
    return state


def _enabled_status(product: Product) -> str:
    if product.desired_enable_flag != product.current_enable_flag:
        return "pending_enabled" if product.desired_enable_flag else "pending_disabled"
    return "enabled" if product.current_enable_flag else "disabled"
