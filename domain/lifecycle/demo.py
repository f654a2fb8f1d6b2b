"""`smartsolar demo-data`: a small, realistic data set for trying every feature at once.

Two entities, a repair centre, the part and symptom types the repair flows offer (Home 2 PCBs,
batteries, casings) with their replacement rules, the software units report, a technician per
entity, and eight units made the way the factory makes them (create_pcb + create_product) in
several lifecycle states. Kenya's units repair with the control-unit flow, Rwanda's with the
battery swap (an ENTITY selector rule), so both flows can be walked to the end.
Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.organisation import Entity, RepairCentre
from db.models.parts import PartType, PartTypeCategory, PartTypeReplacementLinker
from db.models.product import Product
from db.models.repair import RepairWorkflowSelector, SymptomType, SymptomTypeProductTypeLinker
from db.models.software import SoftwareVersionType
from domain.factory.models import BatteryIn, PcbRequest, ProductRequest
from domain.factory.pcbs import PCB_FAMILIES, create_pcb
from domain.factory.products import PRODUCT_KINDS, create_product
from domain.lifecycle import reference as ref
from domain.lifecycle.entities import assign_entity
from domain.lifecycle.states import change_product_state
from domain.permissions import Permission, Scope
from domain.scope import UnitScope
from domain.users import create_user

KENYA, RWANDA = "BBOXX Capital Kenya", "BBOXX Rwanda"
SOFTWARE = "3.6"
PASSWORD = "demo-password"
# name -> (category, part type); Tiger 2 (44) comes with the reference data.
PART_TYPES = {
    "tiger6": ("PCB", "BBOXX Home 2 PCB (Tiger 6)"),
    "tiger7": ("PCB", "BBOXX Home 2 PCB (Tiger 7)"),
    "battery10": ("Battery", "LiFePO4 6.4V 10Ah"),
    "battery12": ("Battery", "LiFePO4 6.4V 12Ah (sealed)"),
    "top_casing": ("Casing", "Home 2 Top Casing"),
}
# existing -> [(replacement, default, non_transferable)], for BBOXX Home 2
RULES = {
    "tiger2": [("tiger7", True, False), ("tiger2", False, False), ("tiger6", False, False)],
    "battery10": [("battery10", True, False), ("battery12", False, True)],
    "top_casing": [("top_casing", True, False)],
}
SYMPTOMS = {"no_light": "Lights do not work", "no_charge": "Does not charge", "cracked": "Cracked casing"}
# (entity, lifecycle states walked after STORED)
UNITS = [
    (None, ()),
    (None, ("SHIPPED",)),
    (KENYA, ("SHIPPED", "ACTIVATED")),
    (KENYA, ("SHIPPED", "ACTIVATED")),
    (KENYA, ("SHIPPED", "ACTIVATED", "IN_REPAIR_SYSTEM")),
    (RWANDA, ("SHIPPED", "ACTIVATED")),
    (RWANDA, ("SHIPPED", "ACTIVATED", "IN_REPAIR_SYSTEM")),
    (RWANDA, ("SHIPPED", "ACTIVATED", "TERMINATED")),
]


@dataclass(frozen=True)
class DemoUnit:
    imei: str
    device_key: str
    entity: str | None
    state: str


@dataclass(frozen=True)
class DemoData:
    units: list[DemoUnit]
    users: dict[str, str]  # username -> what they are
    created: bool


def _get_or_add(session: Session, model, where, **values):
    row = session.scalar(select(model).where(where))
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
    return row


def _catalog(session: Session) -> dict[str, PartType]:
    types = {"tiger2": session.get(PartType, ref.TIGER_PCB_PART_TYPE_ID)}
    for short, (category_name, name) in PART_TYPES.items():
        category = _get_or_add(
            session, PartTypeCategory, PartTypeCategory.name == category_name, name=category_name
        )
        types[short] = _get_or_add(
            session,
            PartType,
            PartType.name == name,
            name=name,
            part_type_category_id=category.part_type_category_id,
            serial_number_category="known",
        )
    for existing, replacements in RULES.items():
        for replacement, default, non_transferable in replacements:
            session.add(
                PartTypeReplacementLinker(
                    product_type_id=ref.HOME2_PRODUCT_TYPE_ID,
                    existing_part_type_id=types[existing].part_type_id,
                    replacement_part_type_id=types[replacement].part_type_id,
                    default_part_type=default,
                    critical_part_type=False,
                    non_transferable=non_transferable,
                )
            )
    for name, label in SYMPTOMS.items():
        symptom = SymptomType(name=name, label=label, description=label)
        session.add(symptom)
        session.flush()
        session.add(
            SymptomTypeProductTypeLinker(
                product_type_id=ref.HOME2_PRODUCT_TYPE_ID, symptom_type_id=symptom.symptom_type_id
            )
        )
    return types


def load_demo_data(session: Session, now: datetime) -> DemoData:
    """Load the data set (nothing is committed here); a second load finds it and adds nothing."""
    ref.ensure_reference_data(session)
    kenya = session.scalar(select(Entity).where(Entity.name == KENYA))
    created = kenya is None
    if created:
        kenya = Entity(name=KENYA, bboxx_company_flag=True, geic="KE-001")
        rwanda = Entity(name=RWANDA, bboxx_company_flag=True, geic="RW-001")
        session.add_all([kenya, rwanda])
        session.flush()
        session.add(RepairCentre(name="Nairobi Repair Centre", entity_id=kenya.entity_id))
        _get_or_add(
            session,
            SoftwareVersionType,
            SoftwareVersionType.name == SOFTWARE,
            name=SOFTWARE,
            release_date=now,
        )
        types = _catalog(session)
        session.add(
            RepairWorkflowSelector(
                product_type_id=ref.HOME2_PRODUCT_TYPE_ID,
                workflow_name="battery_swap",
                selector_type="ENTITY",
                selector_value=rwanda.geic,
            )
        )
        for username, permissions, entity in (
            ("factory@demo.example", Permission.FACTORY, None),
            ("tech@kenya.demo.example", Permission.TECHNICAL, kenya),
            ("tech@rwanda.demo.example", Permission.TECHNICAL, rwanda),
        ):
            create_user(
                session,
                username=username,
                password=PASSWORD,
                permissions=permissions,
                scope=Scope.ENTITY if entity else Scope.GLOBAL,
                entity_id=entity.entity_id if entity else None,
            )
        entities = {KENYA: kenya, RWANDA: rwanda}
        for n, (entity_name, states) in enumerate(UNITS, start=1):
            _make_unit(session, n, types, entities.get(entity_name), states, now)
    units = [
        DemoUnit(f"35000000000{n:04d}", _key(n), entity, (("STORED",) + states)[-1])
        for n, (entity, states) in enumerate(UNITS, start=1)
    ]
    users = {
        "factory@demo.example": "FACTORY, GLOBAL",
        "tech@kenya.demo.example": f"TECHNICAL, ENTITY {KENYA} (control-unit repairs)",
        "tech@rwanda.demo.example": f"TECHNICAL, ENTITY {RWANDA} (battery swaps)",
    }
    return DemoData(units, users, created)


def _key(n: int) -> str:
    return f"demo-device-key-{n:04d}"


def _make_unit(
    session, n: int, types, entity: Entity | None, states: tuple[str, ...], now: datetime
) -> Product:
    imei = f"35000000000{n:04d}"
    create_pcb(
        session,
        PCB_FAMILIES["tiger"],
        PcbRequest(imei=imei, imsi=f"63902{n:010d}", device_key=_key(n), manufacturer="Demo Factory"),
    )
    made = create_product(
        session,
        PRODUCT_KINDS["home2"],
        ProductRequest(
            pcb_imei=imei,
            battery=BatteryIn(
                part_type_id=types["battery10"].part_type_id, serial_number=f"BAT-DEMO-{n:04d}"
            ),
        ),
        user="system:demo-data",
        now=now,
    )
    if entity is not None:
        assign_entity(session, UnitScope(entity_id=None), imei, entity.entity_id, now)
    for state in states:
        change_product_state(session, made.product, state, "system:demo-data")
    return made.product
