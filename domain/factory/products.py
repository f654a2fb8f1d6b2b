"""`/products/create_product/<kind>` (and the one-call `create_hub2` / `create_enterprise`): a product
assembled from an existing, unused PCB, its SIM and, for the kinds that have one, a battery.

Each writes the product (imei, imsi, iccid, the digest of the device key, the product type, the serial
number generated with the PCB, assembler, solar panel wattage), the `part_product_linker` rows, its
first lifecycle state (STORED) and its link to entity #1 Unknown Entity, or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.parts import Part, PartProductLinker, PartType, PartTypeCategory
from db.models.product import Product, ProductEntityLinker
from domain.errors import Conflict, ValidationFailed
from domain.factory.models import BatteryIn, ProductRequest
from domain.factory.pcbs import DEVICE_KEY_DIGEST, shown_properties
from domain.factory.uniqueness import ensure_serial_free
from domain.lifecycle import reference as ref
from domain.lifecycle.states import STORED, change_product_state


@dataclass(frozen=True)
class ProductKind:
    """One of the doc's create_product endpoints: the product type it makes and how it answers."""

    name: str
    product_type_id: int
    label: str  # "Hub2" -> "Hub2Product: <serial> - (<imei>) created."
    battery: bool
    # home3's answer has its own shape (full part rows, the doc's "new Home3 product ..." message).
    detailed_answer: bool = False


PRODUCT_KINDS: dict[str, ProductKind] = {
    "home2": ProductKind("home2", ref.HOME2_PRODUCT_TYPE_ID, "Home2", battery=True),
    "home3": ProductKind("home3", ref.HOME3_PRODUCT_TYPE_ID, "Home3", battery=True, detailed_answer=True),
    "hub2": ProductKind("hub2", ref.HUB2_PRODUCT_TYPE_ID, "Hub2", battery=False),
    "enterprise": ProductKind("enterprise", ref.ENTERPRISE_PRODUCT_TYPE_ID, "Enterprise", battery=True),
}


@dataclass
class NewProduct:
    kind: ProductKind
    product: Product
    pcb: Part
    sim: Part
    battery: Part | None
    device_key: str | None  # the plain key when this request set it, else None (only its digest is kept)

    @property
    def message(self) -> str:
        if self.kind.detailed_answer:
            return f"new {self.kind.label} product successfully created."
        return (
            f"{self.kind.label}Product: {self.product.serial_number} - ({self.product.product_imei}) created."
        )

    def answer(self) -> dict[str, Any]:
        """The doc's `data` for this kind's create answer."""
        product, pcb, sim, battery = self.product, self.pcb, self.sim, self.battery
        if self.kind.detailed_answer:
            data: dict[str, Any] = {
                "pcb": {
                    "part_id": pcb.part_id,
                    "part_type_id": pcb.part_type_id,
                    "properties": shown_properties(pcb.properties, self.device_key),
                    "serial_number": pcb.serial_number,
                },
                "product": {
                    "device_key": self.device_key,
                    "iccid": product.iccid,
                    "imei": product.product_imei,
                    "imsi": product.imsi,
                    "product_imei": product.product_imei,
                    "product_type_id": product.product_type_id,
                    "serial_number": product.serial_number,
                },
                "sim": {
                    "part_id": sim.part_id,
                    "part_type_id": sim.part_type_id,
                    "serial_number": sim.serial_number,
                },
            }
            if battery is not None:
                data["battery"] = {
                    "part_id": battery.part_id,
                    "part_type_id": battery.part_type_id,
                    "serial_number": battery.serial_number,
                }
            return data
        data = {
            "pcb": {"part_id": pcb.part_id, "part_type_id": pcb.part_type_id, "serial": pcb.serial_number},
            "product": {
                "device_key": self.device_key,
                "imsi": product.imsi,
                "product_imei": product.product_imei,
                "product_type_id": product.product_type_id,
                "serial_number": product.serial_number,
                "assembler": product.assembler,
            },
            "sim": {"imsi": product.imsi, "part_id": sim.part_id, "part_type_id": sim.part_type_id},
        }
        if product.solar_panel_wattage is not None:
            data["product"]["solar_panel_wattage"] = product.solar_panel_wattage
        if battery is not None:
            data["battery"] = {
                "part_id": battery.part_id,
                "part_type_id": battery.part_type_id,
                "serial": battery.serial_number,
            }
        return data


def _unused_pcb(session: Session, pcb_imei: str) -> tuple[Part, Part]:
    """The PCB with this imei and its SIM; 400 if there is none or it is already in a product."""
    pcb = session.scalar(
        select(Part)
        .join(PartType, PartType.part_type_id == Part.part_type_id)
        .join(PartTypeCategory, PartTypeCategory.part_type_category_id == PartType.part_type_category_id)
        .where(Part.serial_number == pcb_imei, PartTypeCategory.name == ref.PCB_CATEGORY)
    )
    if pcb is None or not isinstance(pcb.properties, dict) or DEVICE_KEY_DIGEST not in pcb.properties:
        raise ValidationFailed(
            f"No PCB with imei {pcb_imei}: create it with /v1/parts/create_<family>_pcb first",
            validation_errors={"pcb_imei": f"No PCB with imei {pcb_imei}"},
        )
    used = session.scalar(
        select(PartProductLinker.product_imei).where(PartProductLinker.part_id == pcb.part_id)
    )
    if used is not None or session.get(Product, pcb_imei) is not None:
        raise ValidationFailed(
            f"PCB {pcb_imei} is already used in product {used or pcb_imei}",
            validation_errors={"pcb_imei": f"PCB {pcb_imei} is already used"},
        )
    properties = pcb.properties
    sim = session.scalar(
        select(Part).where(Part.serial_number == (properties.get("iccid") or properties["imsi"]))
    )
    if sim is None:
        raise ValidationFailed(
            f"The SIM of PCB {pcb_imei} is missing", validation_errors={"pcb_imei": "its SIM part is missing"}
        )
    return pcb, sim


def _battery(session: Session, kind: ProductKind, battery: BatteryIn | None) -> Part | None:
    if not kind.battery:
        if battery is not None:
            raise ValidationFailed(
                f"A {kind.name} has no battery",
                validation_errors={"battery": f"A {kind.name} has no battery"},
            )
        return None
    if battery is None:
        raise ValidationFailed("battery is required", validation_errors={"battery": "This field is required"})
    if session.get(PartType, battery.part_type_id) is None:
        raise ValidationFailed(
            f"Unknown part type {battery.part_type_id}",
            validation_errors={"battery.part_type_id": f"No part_type {battery.part_type_id}"},
        )
    ensure_serial_free(session, "battery.serial_number", battery.serial_number)
    return Part(part_type_id=battery.part_type_id, serial_number=battery.serial_number)


def create_product(
    session: Session,
    kind: ProductKind,
    request: ProductRequest,
    *,
    user: str,
    now: datetime,
    device_key: str | None = None,
) -> NewProduct:
    """Assemble a `kind` product from the unused PCB `request.pcb_imei` (all or nothing)."""
    pcb, sim = _unused_pcb(session, request.pcb_imei)
    battery = _battery(session, kind, request.battery)
    if request.solar_panel_wattage is not None and kind.name != "enterprise":
        raise ValidationFailed(
            "solar_panel_wattage is for enterprise products",
            validation_errors={"solar_panel_wattage": "Only enterprise products have one"},
        )
    properties = pcb.properties
    product = Product(
        product_imei=properties["imei"],
        imsi=properties["imsi"],
        iccid=properties.get("iccid"),
        device_key=properties[DEVICE_KEY_DIGEST],
        product_type_id=kind.product_type_id,
        serial_number=properties["serial_number"],
        assembler=request.product.assembler,
        solar_panel_wattage=request.solar_panel_wattage,
        current_enable_flag=False,
        desired_enable_flag=False,
        rtc_enabled_flag=False,
        dcm_enabled_flag=False,
        is_payg=True,
    )
    session.add(product)
    if battery is not None:
        session.add(battery)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request assembled the same PCB, or took the battery
        raise Conflict(f"Product {product.product_imei} or one of its parts was created meanwhile") from exc
    for part in (pcb, sim, battery):
        if part is not None:
            session.add(
                PartProductLinker(part_id=part.part_id, product_imei=product.product_imei, date_added=now)
            )
    session.add(
        ProductEntityLinker(
            product_imei=product.product_imei, entity_id=ref.UNKNOWN_ENTITY_ID, date_added=now
        )
    )
    change_product_state(session, product, STORED, user)
    session.flush()
    return NewProduct(kind, product, pcb, sim, battery, device_key)
