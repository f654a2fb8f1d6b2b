"""The doc's measurements, their retention policies and declared field types, and the naming rules."""

from __future__ import annotations

import re
from enum import StrEnum

from domain.errors import ValidationFailed


class FieldType(StrEnum):
    FLOAT = "float"
    INTEGER = "integer"
    STRING = "string"
    BOOLEAN = "boolean"


NUMERIC = (FieldType.FLOAT, FieldType.INTEGER)
DEFAULT_MEASUREMENT = "telemetry"
IMEI_TAG = "product_imei"

# Measurements the doc names live in their own retention policy; any other one in the database default.
RETENTION_POLICIES = {"telemetry": "telemetry_rp", "analysis": "analysis_rp"}

_F, _I = FieldType.FLOAT, FieldType.INTEGER
DECLARED_FIELDS: dict[str, dict[str, FieldType]] = {
    "telemetry": {
        **dict.fromkeys(
            "ac_current ac_voltage active_power apparent_power charge_current current current_in current_out "
            "dc_load_current energy pack_current panel_voltage state_of_charge_wh temperature usb_current "
            "voltage voltage_cell_1 voltage_cell_2 voltage_cell_3 voltage_cell_4".split(),
            _F,
        ),
        "pulse_count": _I,
        "state_of_charge_percent": _I,
    },
    "analysis": {
        **dict.fromkeys(
            "discharge_ah discharge_imax discharge_vmax discharge_vmin discharge_wh energy_in energy_out "
            "gap_end lvd state_of_charge".split(),
            _F,
        ),
        "discharge_end": _I,
    },
}

# Tag keys: the doc's rule (letters, '_' and '-'). Measurement and field names may also hold digits.
TAG_KEY = re.compile(r"^[A-Za-z_-]{1,64}$")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
MAX_TAG_VALUE = 255
RESERVED_NAMES = {"time", IMEI_TAG}


def check_name(kind: str, name: str) -> str:
    if not NAME.match(name) or name == "time":
        raise ValidationFailed(
            f"Invalid {kind} name {name!r}: letters, digits, '_' and '-' only, starting with a letter or '_'",
            validation_errors={kind: name},
        )
    return name


def check_tag(key: str, value: object) -> str:
    if not TAG_KEY.match(key) or key == "time":
        raise ValidationFailed(
            f"Invalid tag {key!r}: tags may only contain uppercase, lowercase, '_' and '-' characters",
            validation_errors={"tags": key},
        )
    if not isinstance(value, str) or not value or len(value) > MAX_TAG_VALUE or not value.isprintable():
        raise ValidationFailed(
            f"Invalid value for tag {key!r}: a printable string of 1 to {MAX_TAG_VALUE} characters",
            validation_errors={"tags": key},
        )
    # Line protocol 1.x has no escape for a backslash before the separator that ends a tag value:
    # InfluxDB would store it as a space (or split the tag), so both stores refuse it alike.
    if value.endswith("\\"):
        raise ValidationFailed(
            f"Invalid value for tag {key!r}: it may not end with a backslash", validation_errors={"tags": key}
        )
    return value


def retention_policy(measurement: str) -> str | None:
    return RETENTION_POLICIES.get(measurement)
