"""A unit's row and which kinds of change wait for it, in one SQL statement.

A unit connects every few hours and nearly always nothing waits for it: RC-GET and RC-POST read this first
and, when nothing is outstanding, answer from the row alone (no other query, no call to Temporal). What
is outstanding is then loaded kind by kind, only for the kinds flagged here (`pending.load_outstanding`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Exists, Row, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models.owed_reports import owed_unit_report
from db.models.parts import PartParameter, PartProductLinker
from db.models.product import Product, ProductEntityLinker
from db.models.software import Parameter, SoftwareVersionType
from db.models.software import ProductSoftwareLinker as Linker
from domain.dcm import commands
from domain.device import software
from domain.device.models import SwitchKind
from domain.device.switches import SWITCHES, Switch
from domain.parameters import store as parameters


@dataclass(frozen=True)
class Outstanding:
    """Which kinds of change wait for the unit (switches by kind), the software it runs and its entity."""

    switches: frozenset[SwitchKind]
    commands: bool
    software: bool
    parameters: bool
    installed_software: str | None
    entity_id: int | None
    # Reports to the unit's workflow lost in an outage (0: none): the next RC-GET reports even with nothing pending.
    owed_reports: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.switches or self.commands or self.software or self.parameters)


def _switch_pending(switch: Switch) -> Exists:
    history = switch.history
    return (
        select(getattr(history, switch.history_id))
        .where(
            getattr(history, switch.history_id) == getattr(Product, switch.latest_history_id),
            history.current_enable_state.like("pending_%"),
        )
        .exists()
    )


def _software_pending(imei: ColumnElement) -> Exists:
    return (
        select(Linker.product_software_linker_id)
        .where(Linker.product_imei == imei, Linker.status == software.PENDING)
        .exists()
    )


def _parameters_pending(imei: ColumnElement) -> ColumnElement[bool]:
    own = (
        select(Parameter.parameter_id)
        .where(Parameter.product_imei == imei, Parameter.status == parameters.PENDING)
        .exists()
    )
    parts = (
        select(PartParameter.part_parameter_id)
        .join(PartProductLinker, PartProductLinker.part_id == PartParameter.part_id)
        .where(
            PartProductLinker.product_imei == imei,
            PartProductLinker.date_removed.is_(None),
            PartParameter.status == parameters.PENDING,
        )
        .exists()
    )
    return own | parts


def _installed_software(imei: ColumnElement):
    return (
        select(SoftwareVersionType.name)
        .join(Linker, Linker.software_version_type_id == SoftwareVersionType.software_version_type_id)
        .where(Linker.product_imei == imei, software.installed())
        .order_by(Linker.product_software_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _entity_id(imei: ColumnElement):
    return (
        select(ProductEntityLinker.entity_id)
        .where(ProductEntityLinker.product_imei == imei, ProductEntityLinker.date_removed.is_(None))
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _owed_reports(imei: ColumnElement):
    return (
        select(owed_unit_report.c.lost_reports)
        .where(owed_unit_report.c.product_imei == imei)
        .scalar_subquery()
    )


# Built once: a statement built per call cost more CPU (construction and its cache key) than the query.
IMEI = bindparam("imei")
KINDS = list(SWITCHES)


def _flags(imei) -> tuple[ColumnElement, ...]:
    """What waits for the unit; `imei` is the bound imei of one unit, or `Product.product_imei` (correlated)
    for many."""
    return (
        *(_switch_pending(SWITCHES[kind]).label(f"{kind.value}_pending") for kind in KINDS),
        commands.outstanding(imei).exists().label("commands_pending"),
        _software_pending(imei).label("software_pending"),
        _parameters_pending(imei).label("parameters_pending"),
        _installed_software(imei).label("installed_software"),
        _entity_id(imei).label("entity_id"),
        _owed_reports(imei).label("owed_reports"),
    )


FLAGS = _flags(IMEI)
# What the unit endpoints read of the row: the credential, the desired flags, whether it is an RTC unit.
UNIT_COLUMNS = (
    Product.product_imei,
    Product.device_key,
    *(getattr(Product, SWITCHES[kind].desired_flag) for kind in KINDS),
    Product.rtc_enabled_flag,
)
_ORM = select(Product, *FLAGS).where(Product.product_imei == IMEI)
_ORM_LOCKED = _ORM.with_for_update(of=Product)
_COLUMNS = select(*UNIT_COLUMNS, *FLAGS).where(Product.product_imei == IMEI)
_COLUMNS_LOCKED = _COLUMNS.with_for_update(of=Product.__table__)


def _outstanding(flags: tuple[Any, ...]) -> Outstanding:
    switch_flags = flags[: len(KINDS)]
    has_commands, has_software, has_parameters, installed, entity_id, owed = flags[len(KINDS) :]
    return Outstanding(
        switches=frozenset(kind for kind, pending in zip(KINDS, switch_flags, strict=True) if pending),
        commands=bool(has_commands),
        software=bool(has_software),
        parameters=bool(has_parameters),
        installed_software=installed,
        entity_id=entity_id,
        owed_reports=owed or 0,
    )


def unit_with_outstanding(
    session: Session, imei: str, *, for_update: bool = False
) -> tuple[Product | None, Outstanding | None]:
    """The unit's row (locked with `for_update`, as `switches.lock_product` locks it) and what waits for
    it; (None, None) for an unknown imei."""
    row = session.execute(_ORM_LOCKED if for_update else _ORM, {"imei": imei}).first()
    if row is None:
        return None, None
    product, *flags = row
    return product, _outstanding(tuple(flags))


def units_with_outstanding(session: Session, imeis: list[str]) -> dict[str, tuple[Product, Outstanding]]:
    """`unit_with_outstanding(..., for_update=True)` for several units in one statement (a batch of RTC
    status reports). Rows are locked in IMEI order, so two batches never wait on each other in a cycle."""
    query = (
        select(Product, *_flags(Product.product_imei))
        .where(Product.product_imei.in_(imeis))
        .order_by(Product.product_imei)
        .with_for_update(of=Product)
    )
    return {row[0].product_imei: (row[0], _outstanding(tuple(row[1:]))) for row in session.execute(query)}


def unit_columns_with_outstanding(
    session: Session, imei: str, *, for_update: bool = False
) -> tuple[Row | None, Outstanding | None]:
    """`unit_with_outstanding` for the unit endpoints: the row's `UNIT_COLUMNS` (attributes named like
    `Product`'s) instead of the mapped object, which costs more to load than the rest of an RC-GET."""
    row = session.execute(_COLUMNS_LOCKED if for_update else _COLUMNS, {"imei": imei}).first()
    if row is None:
        return None, None
    return row, _outstanding(tuple(row[len(UNIT_COLUMNS) :]))


def owe_report(session: Session, imei: str, now: datetime) -> None:
    """The unit's report could not reach its workflow: its next RC-GET reports, whichever API process
    answers it, also after a restart (the first loss's time is kept, the losses counted)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(owed_unit_report).values(product_imei=imei, owed_since=now, lost_reports=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["product_imei"],
            set_={"lost_reports": owed_unit_report.c.lost_reports + 1},
        )
    )


def owed_report_delivered(session: Session, imei: str, owed_reports: int) -> None:
    """A report reached the unit's workflow after `owed_reports` were lost (as the RC-GET read them):
    nothing is owed any more, unless another was lost since (then the row stays for the next RC-GET)."""
    session.execute(
        delete(owed_unit_report).where(
            owed_unit_report.c.product_imei == imei, owed_unit_report.c.lost_reports == owed_reports
        )
    )
