"""`/parts/create_<family>_pcb`: a PCB part and its SIM part, as the doc's Part Actions describe.

The PCB's serial number is its imei and its `properties` carry what the product made from it takes
over: imei, imsi, iccid, the serial number the product will have, the ERP code override of the
families that have one and the digest of the device key (never the key itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.parts import Part, PartType, PartTypeCategory
from domain.device.unit_protocol import device_key_digest
from domain.errors import Conflict, ValidationFailed
from domain.factory.models import PcbRequest
from domain.factory.serials import next_serial
from domain.factory.uniqueness import ensure_free
from domain.lifecycle import reference as ref

DEVICE_KEY_DIGEST = "device_key_digest"


@dataclass(frozen=True)
class PcbFamily:
    """One of the doc's PCB families and how its create endpoint answers."""

    name: str
    default_part_type_id: int
    serial_prefix: str
    message: str
    status_code: int = 200
    erp_code_override: str | None = None


PCB_FAMILIES: dict[str, PcbFamily] = {
    "tiger": PcbFamily(
        "tiger", ref.TIGER_PCB_PART_TYPE_ID, "HB", "new pcb part and sim successfully created"
    ),
    "hyena": PcbFamily(
        "hyena", ref.HYENA_PCB_PART_TYPE_ID, "HB", "new pcb part and sim successfully created"
    ),
    # The doc's tables give 44 as these two families' default; its worked examples (122, 158) win.
    "koala": PcbFamily(
        "koala", ref.KOALA_PCB_PART_TYPE_ID, "BX", "new koala pcb successfully created.", 201, "PA01040102"
    ),
    "jackal": PcbFamily(
        "jackal", ref.JACKAL_PCB_PART_TYPE_ID, "PA", "new jackal pcb successfully created.", 200, "PA04010102"
    ),
}


@dataclass
class NewPcb:
    pcb: Part
    sim: Part
    device_key: str  # the plain key, for this answer only

    def answer(self) -> dict[str, Any]:
        """The doc's `data` for a create_<family>_pcb answer (the key shown this once)."""
        properties = shown_properties(self.pcb.properties, self.device_key)
        return {
            "pcb": {
                "part_id": self.pcb.part_id,
                "part_type_id": self.pcb.part_type_id,
                "properties": properties,
                "serial_number": self.pcb.serial_number,
                "manufacturer": self.pcb.manufacturer,
            },
            "sim": {
                "part_id": self.sim.part_id,
                "part_type_id": self.sim.part_type_id,
                "serial_number": self.sim.serial_number,
            },
        }


def shown_properties(properties: dict[str, Any], device_key: str | None) -> dict[str, Any]:
    """A PCB's properties as the doc shows them: `device_key` (the key when known), no digest."""
    shown = {k: v for k, v in properties.items() if k != DEVICE_KEY_DIGEST}
    shown["device_key"] = device_key
    return dict(sorted(shown.items()))


def _part_type(session: Session, field: str, part_type_id: int, category: str) -> PartType:
    part_type = session.get(PartType, part_type_id)
    if part_type is None:
        raise ValidationFailed(
            f"Unknown part type {part_type_id}", validation_errors={field: f"No part_type {part_type_id}"}
        )
    category_name = session.get(PartTypeCategory, part_type.part_type_category_id).name
    if category_name != category:
        raise ValidationFailed(
            f"Part type {part_type_id} is not a {category} part type",
            validation_errors={field: f"part_type {part_type_id} is a {category_name}, not a {category}"},
        )
    return part_type


def create_pcb(session: Session, family: PcbFamily, request: PcbRequest) -> NewPcb:
    """Validate everything, then write the PCB and its SIM (409 if the imei, imsi or iccid is in use)."""
    pcb_type = _part_type(
        session, "pcb_part_type_id", request.pcb_part_type_id or family.default_part_type_id, ref.PCB_CATEGORY
    )
    sim_type = _part_type(session, "sim_part_type_id", request.sim_part_type_id, ref.SIM_CATEGORY)
    ensure_free(session, imei=request.imei, imsi=request.imsi, iccid=request.iccid)
    properties: dict[str, Any] = {
        "imei": request.imei,
        "imsi": request.imsi,
        "serial_number": next_serial(session, family.serial_prefix),
        DEVICE_KEY_DIGEST: device_key_digest(request.device_key),
    }
    if request.iccid is not None:
        properties["iccid"] = request.iccid
    if family.erp_code_override is not None:
        properties["erp_code_override"] = family.erp_code_override
    sim = Part(part_type_id=sim_type.part_type_id, serial_number=request.iccid or request.imsi)
    pcb = Part(
        part_type_id=pcb_type.part_type_id,
        serial_number=request.imei,
        properties=properties,
        manufacturer=request.manufacturer,
    )
    session.add_all([sim, pcb])
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the same imei or SIM serial first
        raise Conflict(f"Already in use: imei {request.imei} or its SIM") from exc
    return NewPcb(pcb=pcb, sim=sim, device_key=request.device_key)
