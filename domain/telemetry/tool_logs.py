"""`POST /v1/upload_tool_log`: a factory or repair tool's log, stored as a `factory_log` row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models.history import FactoryLog
from db.models.product import Product
from domain.errors import ValidationFailed
from domain.scope import UnitScope
from domain.telemetry import timestamps

REQUIRED = ("time", "message", "toolname")
# The doc's table of the fields each tool may send besides the required ones.
PERMITTED: dict[str, frozenset[str]] = {
    "tiger_test_jig_production": frozenset(
        {"jig_id", "machine_id", "user", "time", "software_version", "passed", "serial_number"}
    ),
    "tiger_test_jig_repair": frozenset(
        {
            "jig_id",
            "machine_id",
            "user",
            "software_version",
            "passed",
            "serial_number",
            "product_imei",
            "count",
        }
    ),
    "koala_test_jig_production": frozenset(
        {"jig_id", "machine_id", "user", "software_version", "passed", "serial_number", "product_imei"}
        | {"hostname", "control_board_revision"}
    ),
    "bpower20_registration_production": frozenset(
        {"machine_id", "hostname", "user", "software_version", "passed", "serial_number", "product_imei"}
    ),
    "bpower50_registration_production": frozenset(
        {"machine_id", "hostname", "user", "software_version", "passed", "serial_number", "product_imei"}
    ),
}
# Identifiers of the run are tags (as they were in influx); results are fields.
TAG_NAMES = frozenset(
    {"jig_id", "machine_id", "hostname", "user", "software_version", "control_board_revision"}
)
MAX_TEXT = 65_536


def record_tool_log(session: Session, body: dict[str, Any], scope: UnitScope) -> FactoryLog:
    """Check the body against the tool's permitted fields and add the row (the route commits)."""
    missing = [name for name in REQUIRED if body.get(name) in (None, "")]
    if missing:
        raise ValidationFailed(
            f"Missing required field(s): {', '.join(missing)}",
            validation_errors=dict.fromkeys(missing, "required"),
        )
    toolname = body["toolname"]
    if not isinstance(toolname, str) or toolname not in PERMITTED:
        raise ValidationFailed(
            f"Unknown toolname {toolname!r}: one of {', '.join(PERMITTED)}",
            validation_errors={"toolname": "unknown"},
        )
    extra = sorted(set(body) - set(REQUIRED) - PERMITTED[toolname])
    if extra:
        raise ValidationFailed(
            f"Field(s) not allowed for {toolname}: {', '.join(extra)}",
            validation_errors=dict.fromkeys(extra, "not allowed"),
        )
    for name, value in body.items():
        if not isinstance(value, str | int | float | bool) or (
            isinstance(value, str) and len(value) > MAX_TEXT
        ):
            raise ValidationFailed(
                f"{name}: a string, number or boolean", validation_errors={name: "invalid"}
            )
    if not isinstance(body["message"], str):
        raise ValidationFailed("message: a string", validation_errors={"message": "invalid"})
    try:
        moment = timestamps.to_ns(body["time"])
    except timestamps.BadTimestamp as err:
        raise ValidationFailed(f"time: {err}", validation_errors={"time": "invalid"}) from err
    imei = body.get("product_imei") or None
    if imei is not None and (not isinstance(imei, str) or not imei.isdigit() or len(imei) > 15):
        raise ValidationFailed("product_imei: up to 15 digits", validation_errors={"product_imei": "invalid"})
    if imei is not None:
        # A log names a real unit, checked like every other product_imei: unknown is a 400, another
        # entity's unit a 404.
        if session.get(Product, imei) is None:
            raise ValidationFailed(
                f"product_imei: no product {imei}", validation_errors={"product_imei": "unknown product"}
            )
        scope.ensure_visible(session, imei)
    rest = {name: value for name, value in body.items() if name not in (*REQUIRED, "product_imei")}
    row = FactoryLog(
        app_name=toolname,
        product_imei=imei,
        timestamp=datetime.fromtimestamp(moment / 1e9, UTC).replace(tzinfo=None),
        tags={name: value for name, value in rest.items() if name in TAG_NAMES},
        fields={"message": body["message"], **{n: v for n, v in rest.items() if n not in TAG_NAMES}},
    )
    session.add(row)
    session.flush()
    return row
