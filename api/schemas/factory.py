"""Answers of the factory's creates: the PCB, its SIM, the product, the battery (the key shown this once)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from api.schemas.envelope import Envelope, Sparse


class PcbProperties(BaseModel):
    """The PCB's properties: its key (`null` when only its digest is kept), serial number, and the rest
    it was given (`iccid`, ...)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str | int | float | bool | None]

    device_key: str | None
    serial_number: str | None


class PartRef(BaseModel):
    part_id: int
    part_type_id: int
    serial_number: str | None


class Pcb(PartRef):
    properties: PcbProperties
    manufacturer: str | None


class NewPcb(BaseModel):
    pcb: Pcb
    sim: PartRef


class DetailedPcb(PartRef):
    properties: PcbProperties


class DetailedProduct(BaseModel):
    device_key: str | None
    iccid: str | None
    imei: str
    imsi: str | None
    product_imei: str
    product_type_id: int
    serial_number: str | None


class DetailedNewProduct(Sparse):
    """The doc's home3 answer; `battery` when one was fitted."""

    pcb: DetailedPcb
    product: DetailedProduct
    sim: PartRef
    battery: PartRef | None = None


class SerialRef(BaseModel):
    part_id: int
    part_type_id: int
    serial: str | None


class CompactProduct(Sparse):
    device_key: str | None
    imsi: str | None
    product_imei: str
    product_type_id: int
    serial_number: str | None
    assembler: str | None
    solar_panel_wattage: int | float | None = None


class CompactSim(BaseModel):
    imsi: str | None
    part_id: int
    part_type_id: int


class CompactNewProduct(Sparse):
    """The doc's answer for the other kinds; `battery` when one was fitted."""

    pcb: SerialRef
    product: CompactProduct
    sim: CompactSim
    battery: SerialRef | None = None


PcbCreated = Envelope[NewPcb]
DetailedProductCreated = Envelope[DetailedNewProduct]
CompactProductCreated = Envelope[CompactNewProduct]
