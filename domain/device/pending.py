"""Everything waiting for one unit, as the device workflow and the RC-GET see it: switch changes
(switches.py), payment commands (domain/dcm), a software update (software.py) and parameters
(domain/parameters). Each keeps its own
rows; this module is the one place that gathers them, settles what an RC-GET delivered, and cancels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models.product import Product
from domain.dcm import commands
from domain.device import software, switches
from domain.device.models import PendingChanges, SwitchKind
from domain.device.outstanding import Outstanding, unit_with_outstanding
from domain.parameters import store as parameters
from domain.scope import UnitScope

_GLOBAL = UnitScope(entity_id=None)  # workflows act for the system, which sees every unit


def load(session: Session, product: Product) -> PendingChanges:
    """Everything waiting for the unit: one statement says which kinds wait, then one query per such kind."""
    _, outstanding = unit_with_outstanding(session, product.product_imei)
    return load_outstanding(session, product, outstanding)


def load_outstanding(session: Session, product: Product, outstanding: Outstanding) -> PendingChanges:
    """What `load` reads, but only for the kinds `outstanding` flags (read with the unit's row): a pending
    switch is the row's desired flag, the rest one query per kind that waits."""
    imei = product.product_imei
    return PendingChanges(
        switches={
            kind: bool(getattr(product, switches.SWITCHES[kind].desired_flag))
            for kind in outstanding.switches
        },
        payment_commands=commands.pending_commands(session, imei) if outstanding.commands else [],
        software=software.pending_update(session, imei) if outstanding.software else None,
        parameters=parameters.pending_parameters(session, imei) if outstanding.parameters else [],
        rtc_unit=bool(product.rtc_enabled_flag),
    )


def record_delivery(
    session: Session,
    imei: str,
    delivered: dict[SwitchKind, bool],
    now: datetime,
    *,
    offered_commands: list[str] = (),
    offered_software_id: int | None = None,
) -> PendingChanges:
    """An RC-GET delivered the flags, offered these commands and this update: settle and count them, and answer
    what is left."""
    product = record_delivered(
        session,
        imei,
        delivered,
        now,
        offered_commands=offered_commands,
        offered_software_id=offered_software_id,
    )
    return load(session, product)


def record_delivered(
    session: Session,
    imei: str,
    delivered: dict[SwitchKind, bool],
    now: datetime,
    *,
    offered_commands: list[str] = (),
    offered_software_id: int | None = None,
) -> Product:
    """What `record_delivery` writes, without reading what is left (the RC-GET has no use for it). Idempotent
    for the switches and the commands' status; each offer of an update is one attempt. Returns the unit's row,
    locked."""
    product = switches.record_delivery(session, imei, delivered, now)
    commands.record_sent(session, imei, list(offered_commands), commands.SENT)
    if offered_software_id is not None:
        software.record_offer(session, imei, offered_software_id)
    return product


def cancel(session: Session, imei: str, user: str, now: datetime) -> PendingChanges:
    """The operator gives up: switch changes are cancelled, software updates and parameters expired. Payment
    commands stay: they are the customer's credit (void them with a zero-command or force_reset)."""
    switches.cancel_pending(session, imei, user, now)
    software.expire_updates(session, _GLOBAL, imei, now)
    parameters.expire_pending(session, imei, now)
    return load(session, switches.lock_product(session, imei))
