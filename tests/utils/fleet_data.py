"""A small fleet for the fleet-view tests: two entities, a fully described unit, a bare one, a unit of
another entity, each fact written where the system's writers put it (the `latest_*` ids, linkers,
parameters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from db.models.alert import Alert, AlertType
from db.models.history import Connection, EnableHistory, State, StateType
from db.models.organisation import Entity, Hub
from db.models.product import Product, ProductEntityLinker, ProductNote, ProductType
from db.models.software import Parameter, ParameterType, ProductSoftwareLinker
from domain.permissions import Permission, Scope
from tests.utils.factories import (
    make_entity,
    make_product,
    make_product_type,
    make_software,
    make_user,
    token_for,
)

STATE_TYPES = {2: "STORED", 5: "ACTIVATED", 8: "IN_REPAIR_SYSTEM"}


@dataclass
class Fleet:
    now: datetime
    entity_a: Entity
    entity_b: Entity
    hub: Hub
    v2: ProductType
    full: Product  # every fact set, entity A
    bare: Product  # nothing but the product row, entity A
    other: Product  # entity B
    parameter_types: dict[str, ParameterType] = field(default_factory=dict)
    rows: dict[str, object] = field(default_factory=dict)  # the full unit's history rows, by role


def headers(session: Session, permissions: Permission, entity: Entity | None = None) -> dict[str, str]:
    scope = {"scope": Scope.ENTITY, "entity_id": entity.entity_id} if entity else {}
    user = make_user(session, permissions, **scope)
    return {"Authorization": f"Token token={token_for(session, user)}"}


def state_types(session: Session) -> None:
    session.add_all(StateType(state_type_id=i, name=name) for i, name in STATE_TYPES.items())
    session.commit()


def parameter_type(session: Session, name: str) -> ParameterType:
    kind = ParameterType(name=name, data_type="float", repeatable=False, setting=True)
    session.add(kind)
    session.commit()
    return kind


def set_parameter(session: Session, product: Product, kind: ParameterType, value: str, status: str) -> None:
    session.add(
        Parameter(
            product_imei=product.product_imei,
            parameter_type_id=kind.parameter_type_id,
            value=value,
            status=status,
        )
    )
    session.commit()


def set_state(session: Session, product: Product, state_type: int, prev: int = 2) -> State:
    state = State(product_imei=product.product_imei, prev_state_type=prev, current_state_type=state_type)
    session.add(state)
    session.flush()
    product.latest_state_id = state.state_id
    session.commit()
    return state


def set_enable(
    session: Session, product: Product, current: str, prev: str | None, when: datetime
) -> EnableHistory:
    row = EnableHistory(
        product_imei=product.product_imei,
        current_enable_state=current,
        prev_enable_state=prev,
        user="erp@example.com",
        date=when,
    )
    session.add(row)
    session.flush()
    product.latest_enable_history_id = row.enable_history_id
    session.commit()
    return row


def connect(session: Session, product: Product, when: datetime, *, located: bool = True) -> Connection:
    """An RC-POST's connection row, and the product's latest ids as record_rc_post keeps them."""
    row = Connection(
        product_imei=product.product_imei,
        date=when,
        location_failed_flag=not located,
        latitude="-0.400234" if located else None,
        longitude="34.599241" if located else None,
        error_radius=69583 if located else None,
    )
    session.add(row)
    session.flush()
    product.latest_connection_id = row.connection_id
    if located:
        product.latest_connection_location_id = row.connection_id
    session.commit()
    return row


def build_fleet(session: Session, now: datetime) -> Fleet:
    state_types(session)
    entity_a = make_entity(session, "A Test Entity")
    entity_a.tariff, entity_a.bboxx_company_flag = "A Test Tariff", True
    entity_b = make_entity(session, "B Other Entity")
    hub = Hub(name="Hub 1", entity_id=entity_a.entity_id)
    session.add(hub)
    session.commit()
    v2 = make_product_type(session, "BB17SMART_v2")
    full = make_product(
        session, imei="000000000000001", product_type=v2, entity=entity_a, serial_number="BB17SMART-150127-0608",
        imsi="204040000000001", hub_id=hub.hub_id, current_enable_flag=True, desired_enable_flag=True,
        current_tamper_flag=False, desired_tamper_flag=True, dcm_enabled_flag=True,
    )  # fmt: skip
    bare = make_product(session, imei="000000000000002", product_type=v2, entity=entity_a)
    other = make_product(
        session, imei="000000000000003", product_type=make_product_type(session, "Hub"), entity=entity_b
    )
    fleet = Fleet(now, entity_a, entity_b, hub, v2, full, bare, other)

    fleet.rows["state"] = set_state(session, full, 5)
    set_state(session, other, 8)
    fleet.rows["enable"] = set_enable(session, full, "enabled", "pending_enabled", now - timedelta(days=2))
    fleet.rows["located"] = connect(session, full, now - timedelta(hours=9))
    fleet.rows["recent"] = connect(session, full, now - timedelta(hours=5), located=False)
    connect(session, other, now - timedelta(hours=1))
    installed, pending, locked = (make_software(session, name) for name in ("2.16", "2.17", "2.15"))
    fleet.rows["pending_software"] = ProductSoftwareLinker(
        product_imei=full.product_imei, software_version_type_id=pending.software_version_type_id,
        status="pending", update_attempts=0,
    )  # fmt: skip
    session.add_all(
        [
            ProductSoftwareLinker(
                product_imei=full.product_imei, software_version_type_id=installed.software_version_type_id,
                date_added=now - timedelta(days=30), status="active",
            ),
            fleet.rows["pending_software"],
        ]
    )  # fmt: skip
    full.software_lock = locked.software_version_type_id
    session.commit()
    for name in ("energy_limit", "total_accessory_energy"):
        fleet.parameter_types[name] = parameter_type(session, name)
    energy = fleet.parameter_types["energy_limit"]
    set_parameter(session, full, energy, "5", "removed")
    set_parameter(session, full, energy, "7", "active")
    set_parameter(session, full, energy, "9", "pending")
    set_parameter(session, other, energy, "20.5", "active")
    set_parameter(session, full, fleet.parameter_types["total_accessory_energy"], "12.5", "active")
    alert_type = AlertType(
        name="low battery",
        version=1,
        status="active",
        analysis_frequency=now,
        active=True,
        label="low-battery",
    )
    session.add(alert_type)
    session.flush()
    fleet.rows["alert"] = Alert(
        product_imei=full.product_imei, alert_type_id=alert_type.alert_type_id, start_time=now
    )
    fleet.rows["note"] = ProductNote(product_imei=full.product_imei, note_text="Customer moved to Kisumu")
    session.add_all(
        [
            fleet.rows["alert"],
            Alert(
                product_imei=full.product_imei, alert_type_id=alert_type.alert_type_id, start_time=now,
                dismissed_at=now, dismissed_by="tech@example.com",
            ),
            fleet.rows["note"],
            ProductEntityLinker(
                product_imei=bare.product_imei, entity_id=entity_b.entity_id,
                date_added=now - timedelta(days=9), date_removed=now - timedelta(days=8),
            ),
        ]
    )  # fmt: skip
    session.commit()
    return fleet
