"""What the factory endpoints accept: strict JSON, bounded strings, the doc's field names."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from domain.lifecycle.reference import SIM_PART_TYPE_ID

Imei = Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")]
Imsi = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,15}$")]
Iccid = Annotated[str, StringConstraints(pattern=r"^[0-9]{18,22}$")]
# The unit's password (HTTP Basic on the device endpoints): printable ASCII, no spaces.
DeviceKey = Annotated[str, StringConstraints(pattern=r"^[!-~]{8,64}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f]*$")]
PartTypeId = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PcbRequest(Strict):
    """`/parts/create_<family>_pcb`: the PCB and its SIM."""

    imei: Imei
    imsi: Imsi
    device_key: DeviceKey
    iccid: Iccid | None = None
    manufacturer: Text | None = None
    pcb_part_type_id: PartTypeId | None = None
    sim_part_type_id: PartTypeId = SIM_PART_TYPE_ID


class BatteryIn(Strict):
    part_type_id: PartTypeId
    serial_number: Text


class ProductFields(Strict):
    """The product columns the factory may set (`"product": {...}` in the doc's payloads)."""

    assembler: Text | None = None


class ProductRequest(Strict):
    """`/products/create_product/<kind>`: a product from an existing, unused PCB."""

    pcb_imei: Imei
    battery: BatteryIn | None = None
    solar_panel_wattage: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    product: ProductFields = ProductFields()


class OneCallRequest(PcbRequest):
    """`/products/create_hub2`, `/create_enterprise`: the PCB and the product in one call."""

    battery: BatteryIn | None = None
    solar_panel_wattage: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    product: ProductFields = ProductFields()
