"""The reference data the doc fixes, and the ids the rest of the code refers to.

Migration 0006 writes the same rows into every new database (its copy is frozen, as migrations must
be); `ensure_reference_data` writes them into a database that lacks them (tests, which empty every
table, and `smartsolar demo-data`).
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models.history import StateType
from db.models.organisation import Entity
from db.models.parts import PartType, PartTypeCategory
from db.models.product import ProductType

# The doc's "/products/<imei>/change_state" table: state_type_id -> State Type.
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
STATE_TYPE_IDS: dict[str, int] = {name: id_ for id_, name in STATE_TYPES.items()}

# "All units with no entity are assigned to entity #1 - Unknown Entity."
UNKNOWN_ENTITY_ID = 1
UNKNOWN_ENTITY_NAME = "Unknown Entity"

PCB_CATEGORY, SIM_CATEGORY = "PCB", "SIM"
# The part types the factory endpoints default to: id -> (name, category).
SIM_PART_TYPE_ID = 43
TIGER_PCB_PART_TYPE_ID, HYENA_PCB_PART_TYPE_ID = 44, 77
KOALA_PCB_PART_TYPE_ID, JACKAL_PCB_PART_TYPE_ID = 122, 158
PART_TYPES: dict[int, tuple[str, str]] = {
    SIM_PART_TYPE_ID: ("SIM", SIM_CATEGORY),
    # The doc's repair screens name type 44 "BBOXX Home 2 PCB (Tiger 2)".
    TIGER_PCB_PART_TYPE_ID: ("BBOXX Home 2 PCB (Tiger 2)", PCB_CATEGORY),
    HYENA_PCB_PART_TYPE_ID: ("Hyena PCB", PCB_CATEGORY),
    KOALA_PCB_PART_TYPE_ID: ("Koala PCB", PCB_CATEGORY),
    JACKAL_PCB_PART_TYPE_ID: ("Jackal PCB", PCB_CATEGORY),
}

# The product types the doc's create answers return: id -> name.
ENTERPRISE_PRODUCT_TYPE_ID, HOME2_PRODUCT_TYPE_ID = 4, 6
HUB2_PRODUCT_TYPE_ID, HOME3_PRODUCT_TYPE_ID = 7, 10
PRODUCT_TYPES: dict[int, str] = {
    ENTERPRISE_PRODUCT_TYPE_ID: "BBOXX Enterprise",
    # The name the control-unit repair flow lists (repair_flows/flows/control_unit.py).
    HOME2_PRODUCT_TYPE_ID: "BBOXX Home 2",
    HUB2_PRODUCT_TYPE_ID: "BBOXX Hub 2",
    HOME3_PRODUCT_TYPE_ID: "BBOXX Home 3",
}


def ensure_reference_data(session: Session) -> None:
    """Insert whichever reference rows are missing (by id); rows already there are left as they are."""
    _ensure(session, StateType, StateType.state_type_id, {i: {"name": n} for i, n in STATE_TYPES.items()})
    _ensure(
        session,
        Entity,
        Entity.entity_id,
        {UNKNOWN_ENTITY_ID: {"name": UNKNOWN_ENTITY_NAME, "bboxx_company_flag": False}},
    )
    categories = {}
    for name in (PCB_CATEGORY, SIM_CATEGORY):
        category = session.scalar(select(PartTypeCategory).where(PartTypeCategory.name == name))
        if category is None:
            category = PartTypeCategory(name=name)
            session.add(category)
            session.flush()
        categories[name] = category.part_type_category_id
    _ensure(
        session,
        PartType,
        PartType.part_type_id,
        {
            i: {"name": n, "part_type_category_id": categories[c], "serial_number_category": "known"}
            for i, (n, c) in PART_TYPES.items()
        },
    )
    _ensure(
        session, ProductType, ProductType.product_type_id, {i: {"name": n} for i, n in PRODUCT_TYPES.items()}
    )


def _ensure(session: Session, model, key_column, rows: dict[int, dict]) -> None:
    # As the migration: a row is added only when neither its id nor its name is taken.
    name_column = model.__table__.c.name
    names = [values["name"] for values in rows.values()]
    taken = set(session.scalars(select(key_column).where(key_column.in_(rows))))
    taken_names = set(session.scalars(select(name_column).where(name_column.in_(names))))
    for id_, values in rows.items():
        if id_ not in taken and values["name"] not in taken_names:
            session.add(model(**{key_column.key: id_}, **values))
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids do not advance the sequence: the next row created must not collide.
        table, column = model.__tablename__, key_column.key
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"GREATEST((SELECT MAX({column}) FROM {table}), 1))"
            )
        )
