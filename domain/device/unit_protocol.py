"""The units' side of the API (RC-POST, RC-GET, RM-POST), as DESIGN.md's "Device protocol" fixes it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from core.clock import utcnow
from db.models.history import Connection
from db.models.product import Product
from domain.dcm.reports import FinalBalanceReport, record_unit_report
from domain.device import pending, software
from domain.device.models import PendingChanges, ReportedParameter, SwitchKind
from domain.device.outstanding import Outstanding, unit_columns_with_outstanding
from domain.device.rc_answer import (
    ParameterOffer,
    PartParameterOffer,
    PaymentCommandOffer,
    RcAnswer,
    SoftwareOffer,
)
from domain.errors import NotFound, Unauthorized
from domain.parameters import store as parameters

CELL_FIELDS = ("lac", "cid", "signal", "mcc", "mnc")


class Cell(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    lac: int | None = None
    cid: int | None = None
    signal: int | None = None
    mcc: int | None = None
    mnc: int | None = None


TransactionId = Annotated[str, Field(min_length=1, max_length=255)]


class ReportedPartParameter(ReportedParameter):
    part_id: int


class RcReport(BaseModel):
    """RC-POST body: what the unit is, plus optional location and cell data, for DCM units its balance,
    the payment commands it applied (by transaction_id) and its answer to a zero-command, and the
    parameters it (and its parts) run."""

    # Units send more than the system stores; what it reads is strict JSON (`1` is not `true`, "5" not 5).
    model_config = ConfigDict(extra="allow", strict=True)

    enable_flag: bool
    tamper_flag: bool
    software: str = Field(min_length=1, max_length=255)
    mcc: int | None = None
    mnc: int | None = None
    latitude: str | None = Field(default=None, max_length=12)
    longitude: str | None = Field(default=None, max_length=12)
    error_radius: int | None = None
    cells: list[Cell] = Field(default_factory=list, max_length=7)
    balance: int | None = Field(default=None, ge=0)  # seconds of credit left
    payment_acks: list[TransactionId] = Field(default_factory=list, max_length=500)
    final_balance: FinalBalanceReport | None = None
    parameters: list[ReportedParameter] = Field(default_factory=list, max_length=200)
    part_parameters: list[ReportedPartParameter] = Field(default_factory=list, max_length=200)


def device_key_digest(device_key: str) -> str:
    """What `product.device_key` stores: 24 characters of the key's SHA-256, never the key itself."""
    return base64.urlsafe_b64encode(hashlib.sha256(device_key.encode()).digest()).decode()[:24]


def authenticate_unit(session: Session, imei: str, device_key: str) -> Product:
    """The unit whose imei and device key these are. An unknown imei answers exactly like a wrong key
    (same 401, same message, the digest computed either way), so the endpoint tells no one which exist."""
    return _checked(session.get(Product, imei), device_key)


UnitRow = Product | Row  # a mapped product, or the row's `UNIT_COLUMNS` (same attribute names)
Unit = TypeVar("Unit", Product, Row)


def connecting_unit(
    session: Session, imei: str, device_key: str, *, for_update: bool = False
) -> tuple[Row, Outstanding]:
    """`authenticate_unit` for RC-GET and RC-POST: the row's `UNIT_COLUMNS` and what waits for the unit,
    in one statement (locked with `for_update`, as RC-POST writes the row)."""
    product, outstanding = unit_columns_with_outstanding(session, imei, for_update=for_update)
    return _checked(product, device_key), outstanding


def _checked(product: Unit | None, device_key: str) -> Unit:
    digest = device_key_digest(device_key)
    stored = product.device_key if product is not None and product.device_key else ""
    if not stored or not hmac.compare_digest(stored, digest):
        raise Unauthorized("Invalid device credentials")
    return product


@dataclass(frozen=True)
class RcPostOutcome:
    connection_id: int
    settled: bool  # a payment command, a software update or a parameter ended: the workflow must hear of it


def _settles_nothing(report: RcReport, outstanding: Outstanding) -> bool:
    """A report that cannot settle or change anything beyond the connection and the flags (the common case):
    same software as installed, no credit figures, no parameters, and nothing waits that it could settle."""
    return (
        report.software == outstanding.installed_software
        and not (report.payment_acks or report.parameters or report.part_parameters)
        and report.final_balance is None
        and report.balance is None
        and not (outstanding.commands or outstanding.software or outstanding.parameters)
    )


# Single statements built once, with every column bound (one compiled form each): an RC-POST's connection
# row and the row's new latest connection and flags, without the ORM's unit of work (its cost per RC-POST
# was more than the statements'). The meta columns are stamped here as `db.base.stamp_meta_columns` does.
_CELL_COLUMNS = tuple(f"cell_{i}_{f}" for i in range(1, 8) for f in CELL_FIELDS)
_INSERT_CONNECTION = insert(Connection.__table__).returning(Connection.__table__.c.connection_id)
_PRODUCT = Product.__table__
_LATEST = {
    "latest_connection_id": bindparam("connection_id"),
    "current_enable_flag": bindparam("enable_flag"),
    "current_tamper_flag": bindparam("tamper_flag"),
    "modified_at": bindparam("modified_at"),
    "modified_by": bindparam("modified_by"),
}
_WHERE_IMEI = _PRODUCT.c.product_imei == bindparam("imei")
_UPDATE_UNLOCATED = update(_PRODUCT).where(_WHERE_IMEI).values(_LATEST)
_UPDATE_LOCATED = (
    update(_PRODUCT)
    .where(_WHERE_IMEI)
    .values(_LATEST | {"latest_connection_location_id": bindparam("connection_id")})
)
# What the update writes, expired on a mapped product the session already holds (the RTC consumer's).
_UPDATED_ATTRIBUTES = [*(key for key in _LATEST), "latest_connection_location_id"]


def _connection_values(imei: str, report: RcReport, now: datetime) -> dict:
    return {
        "product_imei": imei,
        "date": now,
        "location_failed_flag": report.latitude is None or report.longitude is None,
        "mcc": report.mcc,
        "mnc": report.mnc,
        "latitude": report.latitude,
        "longitude": report.longitude,
        "error_radius": report.error_radius,
        **{f"cell_{i}_{f}": getattr(cell, f) for i, cell in enumerate(report.cells, 1) for f in CELL_FIELDS},
    }


def _record_connection(session: Session, imei: str, report: RcReport, now: datetime) -> int:
    values = dict.fromkeys(_CELL_COLUMNS) | _connection_values(imei, report, now)
    actor, stamped = session.info.get("actor"), utcnow()
    meta = {"created_at": stamped, "created_by": actor, "modified_at": None, "modified_by": None}
    connection_id = session.execute(_INSERT_CONNECTION, values | meta).scalar_one()
    # The doc's latest location (dashboard2's latitude / longitude / location_date) moves only when located.
    session.execute(
        _UPDATE_UNLOCATED if values["location_failed_flag"] else _UPDATE_LOCATED,
        {
            "imei": imei,
            "connection_id": connection_id,
            "enable_flag": report.enable_flag,
            "tamper_flag": report.tamper_flag,
            "modified_at": stamped,
            "modified_by": actor,
        },
    )
    held = session.identity_map.get(identity_key(Product, imei))
    if held is not None:
        session.expire(held, _UPDATED_ATTRIBUTES)
    return connection_id


def record_rc_post(
    session: Session,
    imei: str,
    report: RcReport,
    now: datetime,
    max_update_attempts: int,
    *,
    unit: tuple[UnitRow, Outstanding] | None = None,
) -> RcPostOutcome:
    """Store the connection, the unit's real flags and software, and what it reports about its credit.
    `unit`: the row, locked, and what waits, as `connecting_unit(..., for_update=True)` read them."""
    product, outstanding = unit or unit_columns_with_outstanding(session, imei, for_update=True)
    if product is None:
        raise NotFound(f"Product {imei} not found")
    connection_id = _record_connection(session, imei, report, now)
    return _record_settled(session, imei, outstanding, report, connection_id, now, max_update_attempts)


def new_connection(imei: str, report: RcReport, now: datetime) -> Connection:
    """The report's `connection` row, not yet added (a batch of reports inserts theirs in one statement)."""
    return Connection(**_connection_values(imei, report, now))


def apply_rc_post(
    session: Session,
    product: Product,
    outstanding: Outstanding,
    report: RcReport,
    connection: Connection,
    now: datetime,
    max_update_attempts: int,
) -> RcPostOutcome:
    """`record_rc_post` for a batch of mapped, locked rows whose connection rows are flushed: the row points
    at it and takes the reported flags; what the report settles is recorded."""
    product.latest_connection_id = connection.connection_id
    if not connection.location_failed_flag:
        product.latest_connection_location_id = connection.connection_id
    product.current_enable_flag = report.enable_flag
    product.current_tamper_flag = report.tamper_flag
    return _record_settled(
        session, product.product_imei, outstanding, report, connection.connection_id, now, max_update_attempts
    )


def _record_settled(
    session: Session,
    imei: str,
    outstanding: Outstanding,
    report: RcReport,
    connection_id: int,
    now: datetime,
    max_update_attempts: int,
) -> RcPostOutcome:
    if _settles_nothing(report, outstanding):
        return RcPostOutcome(connection_id, False)
    software_ended = software.record_reported(session, imei, report.software, now, max_update_attempts)
    credit_settled = record_unit_report(
        session, imei, report.payment_acks, report.final_balance, report.balance, now
    )
    reported = [item.model_copy(update={"part_id": None}) for item in report.parameters]
    parameters_settled = parameters.record_reported(
        session, imei, reported + list(report.part_parameters), now
    )
    return RcPostOutcome(connection_id, software_ended or credit_settled or parameters_settled)


def rc_get_answer(
    session: Session, product: UnitRow, outstanding: Outstanding | None = None
) -> tuple[RcAnswer, PendingChanges]:
    """The desired state, and what is pending (the device workflow must hear of what was delivered). Given
    what `connecting_unit` read, only the kinds it flags are loaded; with none, nothing more is read."""
    if outstanding is None:
        waiting = pending.load(session, product)
    elif not outstanding.anything:
        waiting = PendingChanges()
    else:
        waiting = pending.load_outstanding(session, product, outstanding)
    update = waiting.software
    answer = RcAnswer(
        enable_flag=product.desired_enable_flag,
        tamper_flag=product.desired_tamper_flag,
        software=SoftwareOffer(name=update.name, link=update.link, checksum=update.checksum)
        if update
        else None,
        payment_commands=[
            PaymentCommandOffer(transaction_id=c.transaction_id, category=c.category, value=c.value)
            for c in waiting.payment_commands
        ],
        parameters=[
            ParameterOffer(parameter_type=p.parameter_type, value=p.value)
            for p in waiting.parameters
            if p.part_id is None
        ],
        part_parameters=[
            PartParameterOffer(part_id=p.part_id, parameter_type=p.parameter_type, value=p.value)
            for p in waiting.parameters
            if p.part_id is not None
        ],
    )
    return answer, waiting


def record_rc_get_delivery(
    session: Session, imei: str, answer: RcAnswer, waiting: PendingChanges, now: datetime
) -> None:
    """What an RC-GET delivered settles in its own transaction, as the workflow's delivery would: the switch
    changes its flags fulfil become `enabled`/`disabled`, the payment commands offered `sent`, the update offered
    one more attempt. So the unit's answer and the settled rows are one step; the device workflow then only
    reads what is left (and ends when nothing is)."""
    pending.record_delivered(
        session,
        imei,
        {SwitchKind.ENABLE: answer.enable_flag, SwitchKind.TAMPER: answer.tamper_flag},
        now,
        offered_commands=[c.transaction_id for c in waiting.payment_commands],
        offered_software_id=waiting.software.product_software_linker_id if waiting.software else None,
    )
