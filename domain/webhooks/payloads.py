"""The `data` of each channel, in the shapes the doc's "Channel Data" tables give."""

from __future__ import annotations

from typing import Any

from db.models.alert import Alert
from db.models.credit import FinalBalance

ENABLED_STATUSES = ("enabled", "pending_enabled", "pending_disabled", "disabled")


def product_status_data(
    product_imei: str, *, state: int | None, enabled_status: str, user: str
) -> dict[str, Any]:
    """product-status: the doc's `state` (state_type id), `enabled_status` and `user`, plus the unit."""
    if enabled_status not in ENABLED_STATUSES:
        raise ValueError(f"enabled_status must be one of {ENABLED_STATUSES}, not {enabled_status!r}")
    return {"product_imei": product_imei, "state": state, "enabled_status": enabled_status, "user": user}


def alert_data(alert: Alert) -> dict[str, Any]:
    """product-alert: the alert as the doc lists it (`customer_called_date` is `customer_contact_date`)."""
    return {
        "alert_id": alert.alert_id,
        "product_imei": alert.product_imei,
        "alert_type_id": alert.alert_type_id,
        "start_time": alert.start_time,
        "dismissed_at": alert.dismissed_at,
        "dismissed_by": alert.dismissed_by,
        "dismissal_reason": alert.dismissal_reason,
        "repair_id": alert.repair_id,
        "extra_info": alert.extra_info,
        "customer_called_date": alert.customer_contact_date,
    }


def final_balance_data(final_balance: FinalBalance) -> dict[str, Any]:
    """dcm: the unit's final balance after a zero-command, so a payment system can credit the customer."""
    return {
        "final_balance_id": final_balance.final_balance_id,
        "product_imei": final_balance.product_imei,
        "final_balance": final_balance.final_balance,
        "total_added": final_balance.total_added,
        "zero_command_id": final_balance.zero_command_id,
        "status": final_balance.status,
    }
