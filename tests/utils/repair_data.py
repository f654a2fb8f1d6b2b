"""Test data for repairs: a unit IN_REPAIR_SYSTEM with fitted parts, replacement rules and symptoms,
and `RepairApi`, the IRT endpoints as a technician's app calls them.

Part types and rules mirror the doc's examples (BBOXX Home 2 PCBs, Tiger 2 -> 7 / 2 / 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.history import State
from db.models.organisation import Entity
from db.models.parts import Part, PartProductLinker, PartType, PartTypeCategory, PartTypeReplacementLinker
from db.models.product import Product, ProductType
from db.models.repair import RepairWorkflowSelector, SymptomType, SymptomTypeProductTypeLinker
from db.models.user import User
from domain.lifecycle.reference import STATE_TYPE_IDS, ensure_reference_data
from domain.permissions import Permission
from tests.utils.factories import make_product, make_product_type, make_user, token_for

_seq = count(1)
# The db fixture restarts ids for each test; Temporal (one server per run) remembers `repair/<id>`.
_repair_id_blocks = count(1)

# short name -> (category, part type name)
PART_TYPES = {
    "tiger2": ("PCB", "BBOXX Home 2 PCB (Tiger 2)"),
    "tiger6": ("PCB", "BBOXX Home 2 PCB (Tiger 6)"),
    "tiger7": ("PCB", "BBOXX Home 2 PCB (Tiger 7)"),
    "battery10": ("Battery", "LiFePO4 6.4V 10Ah"),
    "battery12": ("Battery", "LiFePO4 6.4V 12Ah (sealed)"),
    "top_casing": ("Casing", "Home 2 Top Casing"),
    "button_cap": ("Casing", "Home 2 Button Cap"),
}
# existing -> [(replacement, default_part_type, non_transferable)]
RULES = {
    "tiger2": [("tiger7", True, False), ("tiger2", False, False), ("tiger6", False, False)],
    "battery10": [("battery10", True, False), ("battery12", False, True)],
    "top_casing": [("top_casing", True, False)],
    "button_cap": [("button_cap", True, False)],
}
SYMPTOMS = {"no_light": "Lights do not work", "no_charge": "Does not charge", "cracked": "Cracked casing"}
FITTED = ("tiger2", "battery10", "top_casing", "button_cap")


@dataclass
class Catalog:
    """Part types and symptom types by short name."""

    types: dict[str, PartType] = field(default_factory=dict)
    symptoms: dict[str, SymptomType] = field(default_factory=dict)

    def id(self, name: str) -> int:
        return self.types[name].part_type_id

    def symptom_id(self, name: str) -> int:
        return self.symptoms[name].symptom_type_id


def make_catalog(session: Session, product_type: ProductType) -> Catalog:
    catalog = Catalog()
    categories = {}
    for category in sorted({c for c, _ in PART_TYPES.values()}):
        categories[category] = session.scalar(
            select(PartTypeCategory).where(PartTypeCategory.name == category)
        ) or PartTypeCategory(name=category)
        session.add(categories[category])
    session.flush()
    for short, (category, name) in PART_TYPES.items():
        # The reference data may already hold some of them (Tiger 2 is the factory's default PCB).
        catalog.types[short] = session.scalar(select(PartType).where(PartType.name == name)) or PartType(
            name=name,
            part_type_category_id=categories[category].part_type_category_id,
            serial_number_category="known",
        )
        session.add(catalog.types[short])
    session.flush()
    for existing, replacements in RULES.items():
        for replacement, default, non_transferable in replacements:
            session.add(
                PartTypeReplacementLinker(
                    product_type_id=product_type.product_type_id,
                    existing_part_type_id=catalog.id(existing),
                    replacement_part_type_id=catalog.id(replacement),
                    default_part_type=default,
                    critical_part_type=False,
                    non_transferable=non_transferable,
                )
            )
    for short, label in SYMPTOMS.items():
        catalog.symptoms[short] = SymptomType(name=short, label=label, description=label)
        session.add(catalog.symptoms[short])
        session.flush()
        session.add(
            SymptomTypeProductTypeLinker(
                product_type_id=product_type.product_type_id, symptom_type_id=catalog.symptom_id(short)
            )
        )
    session.commit()
    return catalog


def fit_part(session: Session, product: Product, part_type: PartType) -> Part:
    part = Part(part_type_id=part_type.part_type_id, serial_number=f"P-{next(_seq):06d}")
    session.add(part)
    session.flush()
    session.add(
        PartProductLinker(
            part_id=part.part_id, product_imei=product.product_imei, date_added=utcnow() - timedelta(days=400)
        )
    )
    session.commit()
    return part


def move_to(session: Session, product: Product, *names: str) -> None:
    """Walk the unit through State Types, writing State rows as change_state does."""
    ensure_reference_data(session)
    ids = STATE_TYPE_IDS
    previous = ids["NON_EXISTANT"]
    if product.latest_state_id is not None:
        previous = session.get(State, product.latest_state_id).current_state_type
    for name in names:
        state = State(
            product_imei=product.product_imei, prev_state_type=previous, current_state_type=ids[name]
        )
        session.add(state)
        session.flush()
        product.latest_state_id, previous = state.state_id, ids[name]
    session.commit()


@dataclass
class RepairUnit:
    product: Product
    product_type: ProductType
    catalog: Catalog
    parts: dict[str, Part]

    @property
    def imei(self) -> str:
        return self.product.product_imei


def unit_in_repair(
    session: Session,
    *,
    product_type_name: str = "BB17SMART_v2",
    entity: Entity | None = None,
    in_repair: bool = True,
) -> RepairUnit:
    """A unit with a Tiger 2 PCB, a 10Ah battery and a casing fitted, IN_REPAIR_SYSTEM (or just ACTIVATED)."""
    product_type = session.scalar(select(ProductType).where(ProductType.name == product_type_name))
    if product_type is None:
        product_type = make_product_type(session, product_type_name)
        catalog = make_catalog(session, product_type)
    else:
        catalog = _catalog_of(session)
    product = make_product(session, product_type=product_type, entity=entity)
    unique_repair_ids(session)
    parts = {short: fit_part(session, product, catalog.types[short]) for short in FITTED}
    move_to(session, product, "STORED", "SHIPPED", "ACTIVATED", *(["IN_REPAIR_SYSTEM"] if in_repair else []))
    return RepairUnit(product, product_type, catalog, parts)


def unique_repair_ids(session: Session) -> None:
    """Repair ids never seen before in this run, as in a real database (ids are never reused)."""
    session.execute(
        text("SELECT setval(pg_get_serial_sequence('repair', 'repair_id'), :start)"),
        {"start": next(_repair_id_blocks) * 10_000},
    )
    session.commit()


def _catalog_of(session: Session) -> Catalog:
    short_names = {name: short for short, (_, name) in PART_TYPES.items()}
    catalog = Catalog()
    for part_type in session.scalars(select(PartType).where(PartType.name.in_(short_names))):
        catalog.types[short_names[part_type.name]] = part_type
    for symptom in session.scalars(select(SymptomType)):
        catalog.symptoms[symptom.name] = symptom
    return catalog


def selector_rule(
    session: Session, unit: RepairUnit, selector_type: str, value: str, workflow: str | None
) -> None:
    """A repair_workflow_selector rule for the unit's product type."""
    session.add(
        RepairWorkflowSelector(
            product_type_id=unit.product_type.product_type_id,
            workflow_name=workflow,
            selector_type=selector_type,
            selector_value=value,
        )
    )
    session.commit()


def technician(
    session: Session, permissions: Permission = Permission.TECHNICAL, **kwargs
) -> tuple[User, dict]:
    """A user and the headers of a live token of theirs."""
    user = make_user(session, permissions, **kwargs)
    return user, {"Authorization": f"Token token={token_for(session, user)}"}


class RepairApi:
    """The IRT endpoints as a technician's app calls them (async, through the ASGI app)."""

    def __init__(self, http, headers: dict[str, str], language: str | None = None) -> None:
        self.http = http
        self.headers = dict(headers)
        if language:
            self.headers["Accept-Language"] = language

    async def get_repair(self, imei: str):
        return await self.http.get(f"/v1/products/{imei}/get_repair", headers=self.headers)

    async def current_state(self, repair_id: int):
        return await self.http.get(f"/v1/repairs/{repair_id}/current_state", headers=self.headers)

    async def history(self, repair_id: int):
        return await self.http.get(f"/v1/repairs/{repair_id}/history", headers=self.headers)

    async def send_inputs(self, repair_id: int, payload, **headers):
        return await self.http.put(
            f"/v1/repairs/{repair_id}/send_inputs", json=payload, headers={**self.headers, **headers}
        )

    async def send_event(self, repair_id: int, event: str, **headers):
        return await self.http.put(
            f"/v1/repairs/{repair_id}/send_events", json={"event": event}, headers={**self.headers, **headers}
        )

    async def undo(self, repair_id: int, body=None, **headers):
        return await self.http.put(
            f"/v1/repairs/{repair_id}/undo", json=body, headers={**self.headers, **headers}
        )

    async def list_current_states(self, **params):
        return await self.http.get("/v1/repairs/list_current_states", params=params, headers=self.headers)

    async def open(self, imei: str) -> int:
        response = await self.get_repair(imei)
        assert response.status_code == 200, response.text
        return response.json()["data"]["repair_id"]

    async def ident(self, repair_id: int) -> str:
        response = await self.current_state(repair_id)
        assert response.status_code == 200, response.text
        return response.json()["data"]["ident"]

    async def step(self, repair_id: int, kind: str, payload) -> None:
        """Submit inputs (a dict) or an event (its ident); the step must be accepted."""
        if kind == "event":
            response = await self.send_event(repair_id, payload)
        else:
            response = await self.send_inputs(repair_id, payload)
        assert response.status_code == 200, response.text
