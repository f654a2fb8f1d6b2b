"""Pending switch changes (enable/disable, tamper switch) and their history, per the doc's
"Pending Status and Enable History": a request makes the switch `pending_*`; delivering the new flag
in an RC-GET makes it `enabled`/`disabled`.

Both switches share this code; `SWITCHES` says which columns and history table each one uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from db.models.history import EnableHistory, State, TamperEnableHistory
from db.models.product import Product
from domain.device.models import ChangeRequest, PendingChanges, SwitchKind
from domain.errors import NotFound
from domain.events import PRODUCT_STATUS, publish
from domain.scope import UnitScope

PENDING = {True: "pending_enabled", False: "pending_disabled"}
SETTLED = {True: "enabled", False: "disabled"}


@dataclass(frozen=True)
class Switch:
    history: type[EnableHistory] | type[TamperEnableHistory]
    current_flag: str
    desired_flag: str
    latest_history_id: str
    history_id: str


SWITCHES = {
    SwitchKind.ENABLE: Switch(
        EnableHistory,
        "current_enable_flag",
        "desired_enable_flag",
        "latest_enable_history_id",
        "enable_history_id",
    ),
    SwitchKind.TAMPER: Switch(
        TamperEnableHistory,
        "current_tamper_flag",
        "desired_tamper_flag",
        "latest_tamper_enable_history_id",
        "tamper_enable_history_id",
    ),
}


def lock_product(session: Session, imei: str) -> Product:
    """The unit's row, locked so that requests and deliveries for one unit apply one at a time.

    Its latest switch history rows and state come in the same statement, fresh after the lock: what
    `latest_state` and `current_state_type` then read is in the session already, so a delivery costs no
    round trip per switch."""
    # Loaded into the unit's relationships, so the session keeps them (its identity map holds rows weakly).
    latest = (Product.latest_enable_history, Product.latest_tamper_enable_history, Product.latest_state)
    locked = (
        select(Product)
        .outerjoin(latest[0])
        .outerjoin(latest[1])
        .outerjoin(latest[2])
        .options(*(contains_eager(relationship) for relationship in latest))
        .where(Product.product_imei == imei)
        .with_for_update(of=Product)
        .execution_options(populate_existing=True)
    )
    product = session.scalars(locked).first()
    if product is None:
        raise NotFound(f"Product {imei} not found")
    return product


def latest_state(session: Session, product: Product, kind: SwitchKind) -> str:
    switch = SWITCHES[kind]
    history_id = getattr(product, switch.latest_history_id)
    if history_id is not None:
        row = session.get(switch.history, history_id)
        if row is not None:
            return row.current_enable_state
    return SETTLED[bool(getattr(product, switch.current_flag))]


def _write_history(
    session: Session, product: Product, kind: SwitchKind, state: str, user: str, now: datetime
):
    switch = SWITCHES[kind]
    row = switch.history(
        product_imei=product.product_imei,
        prev_enable_state=latest_state(session, product, kind),
        current_enable_state=state,
        user=user,
        date=now,
    )
    session.add(row)
    session.flush()
    setattr(product, switch.latest_history_id, getattr(row, switch.history_id))
    return row


def request_change(
    session: Session, scope: UnitScope, imei: str, kind: SwitchKind, target: bool, user: str, now: datetime
) -> ChangeRequest | None:
    """Ask for `kind` to become `target`. None when it already is (the doc answers "success" then too).
    Already pending that way: the pending request as it was written, and no second history row, so a
    retried request (one whose workflow start was lost) makes sure the workflow runs, and applies once."""
    scope.ensure_visible(session, imei)
    product = lock_product(session, imei)
    state = latest_state(session, product, kind)
    if state == SETTLED[target]:
        return None
    if state == PENDING[target]:
        row = session.get(SWITCHES[kind].history, getattr(product, SWITCHES[kind].latest_history_id))
        if row is not None:
            return ChangeRequest(
                imei=imei,
                kind=kind,
                target=target,
                history_id=getattr(row, SWITCHES[kind].history_id),
                user=row.user,
            )
        return None
    row = _write_history(session, product, kind, PENDING[target], user, now)
    setattr(product, SWITCHES[kind].desired_flag, target)
    if kind is SwitchKind.ENABLE:
        _publish_status(session, product, PENDING[target], user)
    return ChangeRequest(
        imei=imei, kind=kind, target=target, history_id=getattr(row, SWITCHES[kind].history_id), user=user
    )


def pending_changes(session: Session, product: Product) -> PendingChanges:
    switches = {}
    for kind, switch in SWITCHES.items():
        state = latest_state(session, product, kind)
        if state.startswith("pending_"):
            switches[kind] = bool(getattr(product, switch.desired_flag))
    return PendingChanges(switches=switches)


def record_delivery(
    session: Session, imei: str, delivered: dict[SwitchKind, bool], now: datetime, user: str = "system"
) -> Product:
    """The unit received `delivered` flags in an RC-GET: settle the pending changes they fulfil. Returns the
    unit's row, locked (what is left is the caller's to read, if it needs it).

    Idempotent: a duplicate RC-GET finds nothing pending any more and writes nothing.
    """
    product = lock_product(session, imei)
    settled = [
        kind for kind, flag in delivered.items() if latest_state(session, product, kind) == PENDING[flag]
    ]
    for kind in settled:  # before the flags change, so the row's flush does not also update the unit
        _write_history(session, product, kind, SETTLED[delivered[kind]], user, now)
    for kind, flag in delivered.items():
        setattr(product, SWITCHES[kind].current_flag, flag)
    if SwitchKind.ENABLE in settled:
        flag = delivered[SwitchKind.ENABLE]
        product.disable_date = None if flag else now
        _publish_status(session, product, SETTLED[flag], user)
    return product


def cancel_pending(session: Session, imei: str, user: str, now: datetime) -> PendingChanges:
    """An operator gave up on what is pending: history records the unit's real state, and the desired
    flag goes back to what the unit really has, so the next RC-GET changes nothing."""
    product = lock_product(session, imei)
    for kind in pending_changes(session, product).switches:
        switch = SWITCHES[kind]
        actual = bool(getattr(product, switch.current_flag))
        _write_history(session, product, kind, SETTLED[actual], user, now)
        setattr(product, switch.desired_flag, actual)
        if kind is SwitchKind.ENABLE:
            _publish_status(session, product, SETTLED[actual], user)
    return pending_changes(session, product)


def current_state_type(session: Session, product: Product) -> int | None:
    if product.latest_state_id is None:
        return None
    state = session.get(State, product.latest_state_id)  # in the session when the unit was locked
    return None if state is None else state.current_state_type


def _publish_status(session: Session, product: Product, enabled_status: str, user: str) -> None:
    """The doc's product-status data (state, enabled_status, user), plus the unit it is about."""
    publish(
        session,
        PRODUCT_STATUS,
        {
            "product_imei": product.product_imei,
            "state": current_state_type(session, product),
            "enabled_status": enabled_status,
            "user": user,
        },
        product_imei=product.product_imei,
    )
