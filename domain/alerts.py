"""Alerts: dismissal (`PUT /v1/alerts/<alert_id>/dismiss`).

Every change to an alert is published on product-alert by `domain.webhooks.alert_events`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models.alert import Alert
from db.models.repair import Repair
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.scope import UnitScope


def dismiss_alert(
    session: Session,
    scope: UnitScope,
    alert_id: int,
    *,
    user: str,
    now: datetime,
    dismissal_reason: str | None = None,
    extra_info: str | None = None,
    repair_id: int | None = None,
) -> Alert:
    """Dismiss an active alert once; a second dismissal is refused (409) rather than rewriting the first."""
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound(f"Alert #{alert_id} not found")
    try:
        scope.ensure_visible(session, alert.product_imei)
    except NotFound:
        raise NotFound(f"Alert #{alert_id} not found") from None
    if alert.dismissed_at is not None:
        raise Conflict(
            f"Alert #{alert_id} has already been dismissed",
            data={"dismissed_at": alert.dismissed_at.isoformat(), "dismissed_by": alert.dismissed_by},
        )
    if repair_id is not None:
        repair = session.get(Repair, repair_id)
        if repair is None or repair.product_imei != alert.product_imei:
            raise ValidationFailed(
                f"Repair #{repair_id} is not a repair of product {alert.product_imei}",
                validation_errors={"repair_id": "must be a repair of the alert's product"},
            )
        alert.repair_id = repair_id
    alert.dismissed_at = now
    alert.dismissed_by = user
    if dismissal_reason is not None:
        alert.dismissal_reason = dismissal_reason
    if extra_info is not None:
        alert.extra_info = extra_info
    session.flush()
    return alert
