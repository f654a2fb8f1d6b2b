"""409 before anything is written: an imei, imsi, iccid or serial number belongs to one unit only.

Each value is looked for everywhere it can live: the product columns, part serial numbers (a PCB's is
its imei, a SIM's its iccid or imsi) and the properties of PCBs not yet in a product.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from db.models.parts import Part
from db.models.product import Product
from domain.errors import Conflict


def _taken(session: Session, field: str, value: str) -> bool:
    product_column = {"imei": Product.product_imei, "imsi": Product.imsi, "iccid": Product.iccid}[field]
    return bool(
        session.scalar(
            select(
                or_(
                    exists().where(product_column == value),
                    exists().where(Part.serial_number == value),
                    exists().where(Part.properties[field].as_string() == value),
                )
            )
        )
    )


def ensure_free(session: Session, **values: str | None) -> None:
    """409 naming every field whose value is already in use (None values are not checked)."""
    taken = {
        field: value for field, value in values.items() if value is not None and _taken(session, field, value)
    }
    if taken:
        raise Conflict(
            "Already in use: " + ", ".join(f"{field} {value}" for field, value in taken.items()),
            validation_errors={field: f"{value} is already in use" for field, value in taken.items()},
        )


def ensure_serial_free(session: Session, field: str, serial_number: str) -> None:
    if session.scalar(select(exists().where(Part.serial_number == serial_number))):
        raise Conflict(
            f"Already in use: serial_number {serial_number}",
            validation_errors={field: f"{serial_number} is already in use"},
        )
