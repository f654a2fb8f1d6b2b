"""Columns the table API may not change, because an action endpoint or a workflow owns them.

Writing them directly would skip what the owner does with them (history rows, the unit's workflow,
webhooks, the transition table), so `PUT /v1/<table>/<key>` refuses a change to any of them with a 400
naming the endpoint to use. Sending the value a column already has is accepted (a client may PUT back
the object it read). The device key is the one owned column the table API writes, as a digest.
"""

from __future__ import annotations

import re
from typing import Any

from db.base import Base
from domain.device.unit_protocol import device_key_digest
from domain.errors import ValidationFailed

_ENABLE = "PUT /v1/products/<imei>/enable or /disable"
_TAMPER = "PUT /v1/products/<imei>/enable_tamper_switch or /disable_tamper_switch"
_UNIT = "the unit's own reports (/v1/rc_data)"
_RTC = "the unit's RTC messages"

# table -> column -> who owns it
OWNED_COLUMNS: dict[str, dict[str, str]] = {
    "product": {
        "desired_enable_flag": _ENABLE,
        "current_enable_flag": _UNIT,
        "latest_enable_history_id": _ENABLE,
        "desired_tamper_flag": _TAMPER,
        "current_tamper_flag": _UNIT,
        "latest_tamper_enable_history_id": _TAMPER,
        "latest_state_id": "PUT /v1/products/<imei>/change_state",
        "software_lock": "PUT /v1/products/<imei>/lock_software",
        "latest_connection_id": _UNIT,
        "latest_connection_location_id": _UNIT,
        "latest_rtc_connection_history_id": _RTC,
        "latest_rtc_mo_status_report_time": _RTC,
        "latest_rtc_mt_status_update_time": _RTC,
    },
}
# The unit's password: stored as its digest, whichever way it is set.
DEVICE_KEY = re.compile(r"[!-~]{8,64}")


def check_write(row: Base | None, table: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data` as it may be written to `row` (None: a new row): 400 for owned columns it changes."""
    owned = OWNED_COLUMNS.get(table, {})
    refused = {
        key: f"Set by {owner}, not by the table API"
        for key, owner in owned.items()
        if key in data and (row is None or getattr(row, key) != data[key])
    }
    if refused:
        raise ValidationFailed(
            f"Cannot change {', '.join(sorted(refused))} of {table} here: use the endpoint named for each",
            validation_errors=refused,
        )
    if table == "product" and data.get("device_key") is not None:
        if not DEVICE_KEY.fullmatch(data["device_key"]):
            raise ValidationFailed(
                "A device key is 8 to 64 printable characters without spaces",
                validation_errors={"device_key": "8 to 64 printable characters without spaces"},
            )
        data = data | {"device_key": device_key_digest(data["device_key"])}
    return data
