"""The one unit a diagnosis endpoint is about."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models.product import Product
from domain.errors import NotFound
from domain.scope import UnitScope


def ensure_unit(session: Session, scope: UnitScope, imei: str) -> None:
    """404 for a unit that does not exist and, the same, for another entity's unit."""
    scope.ensure_visible(session, imei)
    if session.get(Product, imei) is None:
        raise NotFound(f"Product {imei} not found")
