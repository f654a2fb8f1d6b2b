"""Create simulated units in the database, with keys the simulator knows (never for real units)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.product import Product, ProductEntityLinker, ProductType
from db.models.software import ProductSoftwareLinker, SoftwareVersionType
from domain.device.unit_protocol import device_key_digest
from simulator.unit import SimulatedUnit

PRODUCT_TYPE = "SIMULATED_UNIT"


def _get_or_add(session: Session, model, where, **values):
    row = session.scalar(select(model).where(where))
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
    return row


def provision_units(
    session: Session, count: int, *, prefix: str = "99", software: str = "3.6", entity_id: int | None = None
) -> list[SimulatedUnit]:
    """`count` units with imeis `<prefix>000...N` (15 digits); existing ones are reused as they are."""
    now = utcnow()
    product_type = _get_or_add(session, ProductType, ProductType.name == PRODUCT_TYPE, name=PRODUCT_TYPE)
    version = _get_or_add(
        session, SoftwareVersionType, SoftwareVersionType.name == software, name=software, release_date=now
    )
    units = []
    for n in range(1, count + 1):
        imei = f"{prefix}{n:0{15 - len(prefix)}d}"
        key = f"sim-key-{imei}"
        if session.get(Product, imei) is None:
            session.add(
                Product(
                    product_imei=imei,
                    device_key=device_key_digest(key),
                    imsi=f"{imei[::-1]}",
                    serial_number=f"SIM-{imei}",
                    product_type_id=product_type.product_type_id,
                    current_enable_flag=False,
                    desired_enable_flag=False,
                    rtc_enabled_flag=False,
                    dcm_enabled_flag=False,
                    is_payg=True,
                )
            )
            session.flush()
            session.add(
                ProductSoftwareLinker(
                    product_imei=imei,
                    software_version_type_id=version.software_version_type_id,
                    date_added=now,
                )
            )
            if entity_id is not None:
                session.add(ProductEntityLinker(product_imei=imei, entity_id=entity_id, date_added=now))
        units.append(SimulatedUnit(imei=imei, device_key=key, software=software))
    session.flush()
    return units
