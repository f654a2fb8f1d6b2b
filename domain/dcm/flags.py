"""The two product flags of DCM: `dcm_enabled_flag` (set_dcm_enabled_flag) and `is_payg` (set_is_payg)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.dcm.rules import is_bp20
from domain.device.switches import lock_product
from domain.errors import BadRequest
from domain.scope import UnitScope


def set_dcm_enabled(session: Session, scope: UnitScope, imei: str, enabled: bool) -> None:
    """BP20 units are DCM units by design: the doc says the flag cannot be changed for them."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    if is_bp20(session, product):
        raise BadRequest(
            f"Product {imei} is a BP20: BP20 devices are DCM enabled by default and cannot be modified"
        )
    product.dcm_enabled_flag = enabled


def set_is_payg(session: Session, scope: UnitScope, imei: str, is_payg: bool) -> None:
    """A unit paid off (`is_payg` false) must not be disabled when its credit runs out."""
    scope.ensure_visible(session, imei)
    lock_product(session, imei).is_payg = is_payg
