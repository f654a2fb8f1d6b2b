"""The hook point where business events leave the system (webhooks; see domain/webhooks).

Callers pass the session of the change that caused the event, so the event is stored in the same
transaction as the change: it is published if and only if the change commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from domain.webhooks.outbox import record_event

PRODUCT_STATUS = "product-status"
PRODUCT_ALERT = "product-alert"
DCM = "dcm"
CHANNELS = (PRODUCT_STATUS, PRODUCT_ALERT, DCM)


def publish(session: Session, channel: str, data: dict[str, Any], *, product_imei: str | None = None) -> None:
    """Publish `data` on `channel` about the unit `product_imei` (used to scope subscribers)."""
    record_event(session, channel, data, product_imei=product_imei)
