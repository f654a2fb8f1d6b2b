"""Software on a unit (the doc's update_software, lock_software, expire_software_updates).

product_software_linker holds the life of every version on a unit, `status` telling which is which:

- `active` (or NULL, rows written without a status): installed; `date_removed` set once replaced (`removed`);
- `pending`: an update asked for and not installed yet (`date_added` NULL; `update_attempts` counts the
  RC-GETs that offered it);
- `expired` (an operator gave up on it, or another update replaced it) / `failed` (offered the configured
  number of times and the unit still reports another version): `date_removed` set, never installed.

A pending update is offered in every RC-GET; it completes when an RC-POST reports the new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from db.models.product import Product, ProductType
from db.models.software import (
    ProductSoftwareLinker,
    ProductTypeSoftwareVersionTypeLinker,
    SoftwareVersionType,
)
from domain.device.models import PendingSoftware
from domain.device.switches import lock_product
from domain.errors import BadRequest, Conflict, ValidationFailed
from domain.scope import UnitScope

PENDING, ACTIVE, REMOVED, EXPIRED, FAILED = "pending", "active", "removed", "expired", "failed"
Linker = ProductSoftwareLinker


def installed() -> ColumnElement[bool]:
    """Rows of software actually on a unit (NULL status: rows written before statuses existed)."""
    return and_(Linker.date_removed.is_(None), or_(Linker.status.is_(None), Linker.status != PENDING))


def installed_row(session: Session, imei: str) -> ProductSoftwareLinker | None:
    return session.scalar(
        select(Linker)
        .where(Linker.product_imei == imei, installed())
        .order_by(Linker.product_software_linker_id.desc())
        .limit(1)
    )


def pending_rows(session: Session, imei: str) -> list[ProductSoftwareLinker]:
    return list(session.scalars(select(Linker).where(Linker.product_imei == imei, Linker.status == PENDING)))


def _open_rows(
    session: Session, imei: str
) -> tuple[ProductSoftwareLinker | None, list[ProductSoftwareLinker]]:
    """The installed row and the pending ones, in one query (RC-POST reads them on every connection)."""
    rows = session.scalars(
        select(Linker)
        .where(Linker.product_imei == imei, Linker.date_removed.is_(None))
        .order_by(Linker.product_software_linker_id)
    ).all()
    installed_rows = [row for row in rows if row.status != PENDING]
    return (installed_rows[-1] if installed_rows else None), [row for row in rows if row.status == PENDING]


def resolve(session: Session, reference: int | str) -> SoftwareVersionType:
    """The doc's `{"software": <software_id> or <software_name>}`."""
    if isinstance(reference, int):
        software = session.get(SoftwareVersionType, reference)
    else:
        software = session.scalar(select(SoftwareVersionType).where(SoftwareVersionType.name == reference))
    if software is None:
        raise ValidationFailed(
            f"Unknown software {reference!r}",
            validation_errors={"software": "not a software_version_type id or name"},
        )
    return software


def ensure_allowed(session: Session, product: Product, software: SoftwareVersionType) -> None:
    """product_type_software_version_type_linker says which versions each product type may run."""
    allowed = session.scalar(
        select(ProductTypeSoftwareVersionTypeLinker.product_type_software_version_type_linker_id)
        .where(
            ProductTypeSoftwareVersionTypeLinker.product_type_id == product.product_type_id,
            ProductTypeSoftwareVersionTypeLinker.software_version_type_id
            == software.software_version_type_id,
        )
        .limit(1)
    )
    if allowed is None:
        type_name = session.scalar(
            select(ProductType.name).where(ProductType.product_type_id == product.product_type_id)
        )
        raise BadRequest(f"Software {software.name} is not allowed on product type {type_name}")


@dataclass(frozen=True)
class UpdateRequest:
    software: SoftwareVersionType
    pending: bool  # an update is now pending (False: the unit already runs it)


def request_update(
    session: Session, scope: UnitScope, imei: str, reference: int | str, now: datetime
) -> UpdateRequest:
    """update_software: refused (nothing written) for an unknown version, one the product type may not run,
    or while the unit is locked to another version."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    software = resolve(session, reference)
    if product.software_lock is not None and product.software_lock != software.software_version_type_id:
        locked = session.get(SoftwareVersionType, product.software_lock)
        raise Conflict(
            f"Product {imei} is locked to software {locked.name if locked else product.software_lock}; "
            "remove the lock (lock_software with null) first"
        )
    ensure_allowed(session, product, software)
    return UpdateRequest(software, _make_pending(session, imei, software, now))


def lock(
    session: Session, scope: UnitScope, imei: str, reference: int | str | None, now: datetime
) -> UpdateRequest | None:
    """lock_software: lock to a version and update to it; `None` removes the lock (and changes nothing else)."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    if reference is None:
        product.software_lock = None
        return None
    software = resolve(session, reference)
    ensure_allowed(session, product, software)
    product.software_lock = software.software_version_type_id
    return UpdateRequest(software, _make_pending(session, imei, software, now))


def _make_pending(session: Session, imei: str, software: SoftwareVersionType, now: datetime) -> bool:
    """One pending update at a time: a new request replaces (expires) the previous one; asking for what is
    already pending, or already installed, writes nothing (a repeated request must not apply twice)."""
    current = installed_row(session, imei)
    pending = pending_rows(session, imei)
    if any(row.software_version_type_id == software.software_version_type_id for row in pending):
        return True
    _close(pending, EXPIRED, now)
    if current is not None and current.software_version_type_id == software.software_version_type_id:
        return False
    session.add(
        Linker(
            product_imei=imei,
            software_version_type_id=software.software_version_type_id,
            status=PENDING,
            update_attempts=0,
        )
    )
    session.flush()
    return True


def expire_updates(session: Session, scope: UnitScope, imei: str, now: datetime) -> int:
    """expire_software_updates: how many pending updates it expired."""
    scope.ensure_visible(session, imei)
    lock_product(session, imei)
    return _close(pending_rows(session, imei), EXPIRED, now)


def _close(rows: list[ProductSoftwareLinker], status: str, now: datetime) -> int:
    for row in rows:
        row.status = status
        row.date_removed = now
    return len(rows)


def pending_update(session: Session, imei: str) -> PendingSoftware | None:
    row = session.execute(
        select(Linker, SoftwareVersionType)
        .join(
            SoftwareVersionType,
            SoftwareVersionType.software_version_type_id == Linker.software_version_type_id,
        )
        .where(Linker.product_imei == imei, Linker.status == PENDING)
        .order_by(Linker.product_software_linker_id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    link, software = row
    return PendingSoftware(
        product_software_linker_id=link.product_software_linker_id,
        software_version_type_id=software.software_version_type_id,
        name=software.name,
        link=software.link,
        checksum=software.checksum,
        update_attempts=link.update_attempts or 0,
    )


def record_offer(session: Session, imei: str, product_software_linker_id: int) -> None:
    """An RC-GET offered the update: one more attempt (nothing if it is no longer pending)."""
    row = session.get(Linker, product_software_linker_id)
    if row is not None and row.product_imei == imei and row.status == PENDING:
        row.update_attempts = (row.update_attempts or 0) + 1


def record_reported(session: Session, imei: str, name: str, now: datetime, max_attempts: int) -> bool:
    """An RC-POST says the unit runs `name`. Completes the pending update when it is that version, fails it
    when it was offered `max_attempts` times and the unit still runs another. True when a pending update ended."""
    software = session.scalar(select(SoftwareVersionType).where(SoftwareVersionType.name == name))
    if software is None:
        raise ValidationFailed(
            f"Unknown software {name!r}", validation_errors={"software": "not a software_version_type name"}
        )
    current, pending = _open_rows(session, imei)
    done = [row for row in pending if row.software_version_type_id == software.software_version_type_id]
    if done:
        _close([current] if current is not None else [], REMOVED, now)
        done[0].status, done[0].date_added = ACTIVE, now
        return True
    if current is None or current.software_version_type_id != software.software_version_type_id:
        _close([current] if current is not None else [], REMOVED, now)  # the unit changed version by itself
        session.add(
            Linker(
                product_imei=imei,
                software_version_type_id=software.software_version_type_id,
                date_added=now,
                status=ACTIVE,
            )
        )
    exhausted = [row for row in pending if (row.update_attempts or 0) >= max_attempts]
    return _close(exhausted, FAILED, now) > 0
