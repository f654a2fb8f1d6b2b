"""A unit's row and which kinds of change wait for it, in one SQL statement.

A unit connects every few hours and nearly always nothing waits for it: RC-GET and RC-POST read this first
and, when nothing is outstanding, answer from the row alone (no other query, no call to Temporal). What
is outstanding is then loaded kind by kind, only for the kinds flagged here (`pending.load_outstanding`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, select
from sqlalchemy.orm import Session

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


def _software_pending(imei: str) -> Exists:
    return (
        select(Linker.product_software_linker_id)
        .where(Linker.product_imei == imei, Linker.status == software.PENDING)
        .exists()
    )


def _parameters_pending(imei: str) -> ColumnElement[bool]:
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


def _installed_software(imei: str):
    return (
        select(SoftwareVersionType.name)
        .join(Linker, Linker.software_version_type_id == SoftwareVersionType.software_version_type_id)
        .where(Linker.product_imei == imei, software.installed())
        .order_by(Linker.product_software_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _entity_id(imei: str):
    return (
        select(ProductEntityLinker.entity_id)
        .where(ProductEntityLinker.product_imei == imei, ProductEntityLinker.date_removed.is_(None))
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def unit_with_outstanding(
    session: Session, imei: str, *, for_update: bool = False
) -> tuple[Product | None, Outstanding | None]:
    """The unit's row (locked with `for_update`, as `switches.lock_product` locks it) and what waits for
    it; (None, None) for an unknown imei."""
    query = _with_outstanding(imei).where(Product.product_imei == imei)
    if for_update:
        query = query.with_for_update(of=Product)
    row = session.execute(query).first()
    if row is None:
        return None, None
    return row[0], _outstanding(row[1:])


def units_with_outstanding(session: Session, imeis: list[str]) -> dict[str, tuple[Product, Outstanding]]:
    """`unit_with_outstanding(..., for_update=True)` for several units in one statement (a batch of RTC
    status reports). Rows are locked in IMEI order, so two batches never wait on each other in a cycle."""
    query = (
        _with_outstanding(Product.product_imei)
        .where(Product.product_imei.in_(imeis))
        .order_by(Product.product_imei)
        .with_for_update(of=Product)
    )
    return {row[0].product_imei: (row[0], _outstanding(row[1:])) for row in session.execute(query)}


def _with_outstanding(imei):
    """The row and its flags; `imei` is a literal for one unit, or `Product.product_imei` (correlated) for many."""
    return select(
        Product,
        *(_switch_pending(SWITCHES[kind]) for kind in _KINDS),
        commands.outstanding(imei).exists(),
        _software_pending(imei),
        _parameters_pending(imei),
        _installed_software(imei),
        _entity_id(imei),
    )


_KINDS = list(SWITCHES)


def _outstanding(flags) -> Outstanding:
    switch_flags, (has_commands, has_software, has_parameters, installed, entity_id) = (
        flags[: len(_KINDS)],
        flags[len(_KINDS) :],
    )
    return Outstanding(
        switches=frozenset(kind for kind, pending in zip(_KINDS, switch_flags, strict=True) if pending),
        commands=bool(has_commands),
        software=bool(has_software),
        parameters=bool(has_parameters),
        installed_software=installed,
        entity_id=entity_id,
    )
