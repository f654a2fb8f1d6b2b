"""After a soak: every change the soak made pending settled exactly once, read back from the database and
from Temporal. Each check is one pass/fail line; `verify` retries them for a grace period (a change in
flight on a killed worker settles once Temporal has retried it on the other one)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select

from bench.soak_load import PAYMENT_SECONDS, Ledger
from db.models.credit import Balance, PaymentCommand
from db.models.history import EnableHistory, SmsHistory
from db.models.product import Product
from db.models.software import Parameter
from db.session import session_scope

SETTLES = {"pending_enabled": "enabled", "pending_disabled": "disabled"}
OPEN_WORKFLOWS = "WorkflowType IN ('DeviceWorkflow', 'WakeupWorkflow') AND ExecutionStatus = 'Running'"
BAD_ENDINGS = "ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    skipped: bool = False  # could not be checked here (ok stays True: it does not fail the soak)

    def line(self) -> str:
        return f"  {'SKIP' if self.skipped else 'PASS' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def switch_changes(ledger: Ledger, units: dict) -> Check:
    """Per unit the soak switched: its enable_history alternates runs of pending rows with exactly one
    settled row of the last pending target (a second settled row is a change settled twice), it ends
    settled, and the unit runs the flag asked for and reported it (the drain's RC-POST)."""
    with session_scope(actor="bench") as session:
        rows = session.execute(
            select(EnableHistory.product_imei, EnableHistory.current_enable_state).order_by(
                EnableHistory.enable_history_id
            )
        ).all()
        flags = {
            imei: (desired, current)
            for imei, desired, current in session.execute(
                select(Product.product_imei, Product.desired_enable_flag, Product.current_enable_flag).where(
                    Product.product_imei.in_(ledger.switches)
                )
            )
        }
    history: dict[str, list[str]] = {}
    for imei, state in rows:
        history.setdefault(imei, []).append(state)
    twice, left, differs, pending, settled = [], [], [], 0, 0
    for imei, states in history.items():
        previous = None
        for state in states:
            if state in SETTLES:
                pending += 1
            else:
                settled += 1
                if previous is None or SETTLES.get(previous) != state:
                    twice.append(imei)
            previous = state
        desired, current = flags.get(imei, (None, None))
        if previous in SETTLES:
            left.append(imei)
        elif imei in units and not (desired == current == units[imei].enable_flag):
            differs.append(imei)
    unasked = sorted(set(history) - set(ledger.switches))
    ok = not twice and not left and not differs and not unasked
    detail = (
        f"{len(ledger.switches)} units asked, {pending} pending rows, {settled} settled rows; "
        f"settled twice or wrongly {_few(twice)}, left pending {_few(left)}, unit or its row not on the flag "
        f"asked {_few(differs)}, rows on units never asked {_few(unasked)}"
    )
    return Check("enable/disable settled once each", ok, detail)


def parameters(ledger: Ledger, kind_id: int, kind_name: str, units: dict) -> Check:
    """Per unit: each value asked has its row (nothing lost), no row holds a value never asked, exactly one
    row is active, holding the last value asked, which the unit runs; none is left pending. A unit that
    reports a value after a newer one was asked gets a row for it (the unit's history is what it ran), so
    a unit may have more rows than values asked."""
    with session_scope(actor="bench") as session:
        rows = session.execute(
            select(Parameter.product_imei, Parameter.value, Parameter.status)
            .where(Parameter.parameter_type_id == kind_id)
            .order_by(Parameter.parameter_id)
        ).all()
    by_unit: dict[str, list[tuple[str, str | None]]] = {}
    for imei, value, status in rows:
        by_unit.setdefault(imei, []).append((_plain(value), status))
    lost, not_once, unit_differs = [], [], []
    for imei, asked in ledger.parameters.items():
        values = by_unit.get(imei, [])
        if set(asked) != {value for value, _ in values}:
            lost.append(imei)
        active = [value for value, status in values if status == "active"]
        if active != [asked[-1]] or any(status == "pending" for _, status in values):
            not_once.append(imei)
        elif _plain(units[imei].parameters.get(kind_name, "")) != asked[-1]:
            unit_differs.append(imei)
    unasked = sorted(set(by_unit) - set(ledger.parameters))
    ok = not lost and not not_once and not unit_differs and not unasked
    detail = (
        f"{sum(map(len, ledger.parameters.values()))} asked on {len(ledger.parameters)} units, {len(rows)} rows; "
        f"values asked != values stored {_few(lost)}, not exactly the last asked active {_few(not_once)}, "
        f"unit runs another value {_few(unit_differs)}, rows on units never asked {_few(unasked)}"
    )
    return Check("parameters active once each", ok, detail)


def _plain(value: str) -> str:
    """A float parameter's value as the soak wrote it ("12", stored or echoed maybe as "12.0")."""
    try:
        return f"{float(value):g}"
    except ValueError:
        return value


def payments(ledger: Ledger, units: dict) -> Check:
    """Every payment command asked is stored once and acknowledged; each unit's balance, the one it
    reports and the one stored, is the sum of its commands (a command applied twice would show)."""
    asked = [t for ids in ledger.payments.values() for t in ids]
    with session_scope(actor="bench") as session:
        statuses = dict(
            session.execute(
                select(PaymentCommand.transaction_id, PaymentCommand.status).where(
                    PaymentCommand.transaction_id.in_(asked)
                )
            ).all()
        )
        latest = (
            select(Balance.product_imei, func.max(Balance.balance_id).label("id"))
            .where(Balance.product_imei.in_(ledger.payments))
            .group_by(Balance.product_imei)
            .subquery()
        )
        stored = dict(
            session.execute(
                select(Balance.product_imei, Balance.balance).join(latest, Balance.balance_id == latest.c.id)
            ).all()
        )
    unacknowledged = [t for t in asked if statuses.get(t) != "acknowledged"]
    wrong_balance = [
        imei
        for imei, ids in ledger.payments.items()
        if not (units[imei].balance == stored.get(imei) == PAYMENT_SECONDS * len(ids))
    ]
    ok = not unacknowledged and not wrong_balance
    detail = (
        f"{len(asked)} asked on {len(ledger.payments)} units, {len(statuses)} stored; "
        f"not acknowledged {_few(unacknowledged)}, balance != {PAYMENT_SECONDS} s x commands {_few(wrong_balance)}"
    )
    return Check("payment commands acknowledged once each", ok, detail)


def wakeup_sms() -> Check:
    """Every wake-up SMS sent reached its unit and was receipted (the simulated network posts receipts)."""
    with session_scope(actor="bench") as session:
        rows = session.execute(
            select(SmsHistory.enable_history_id, SmsHistory.status).where(SmsHistory.trigger == "wakeup")
        ).all()
    undelivered = sum(status != "Delivered" for _, status in rows)
    per_change = {}
    for change, _ in rows:
        per_change[change] = per_change.get(change, 0) + 1
    repeated = sum(n > 1 for n in per_change.values())
    detail = f"{len(rows)} sent for {len(per_change)} changes; not receipted {undelivered}, changes with more than one SMS {repeated}"
    return Check("wake-up SMS receipted", undelivered == 0, detail)


async def workflows_closed(client) -> list[Check]:
    """No device or wake-up workflow left running, none failed, timed out or terminated."""
    running = [f"{w.id} ({w.workflow_type})" async for w in client.list_workflows(OPEN_WORKFLOWS)]
    bad = [
        f"{w.id} ({w.workflow_type}, {w.status.name}: {await _why(client, w.id, w.run_id)})"
        async for w in client.list_workflows(BAD_ENDINGS)
    ]
    return [
        Check("no device/wake-up workflow left open", not running, f"running {_few(running)}"),
        Check("no workflow failed, timed out or terminated", not bad, f"such {_few(bad)}"),
    ]


async def _why(client, workflow_id: str, run_id: str) -> str:
    """The failure message that closed a run (its last history event), for the report."""
    history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    last = history.events[-1]
    for attributes in (
        "workflow_execution_failed_event_attributes",
        "workflow_execution_terminated_event_attributes",
    ):
        if last.HasField(attributes):
            closed = getattr(last, attributes)
            failure = getattr(closed, "failure", None)
            cause = failure
            while cause is not None and cause.HasField("cause"):
                cause = cause.cause
            return f"{failure.message} <- {cause.message}"[:300] if failure else closed.reason
    return "timed out"


async def verify(ledger: Ledger, kind: tuple[int, str], units: dict, client, grace: float) -> list[Check]:
    """The checks, retried every 2 s until all pass or `grace` seconds have gone."""
    deadline = time.monotonic() + grace
    while True:
        checks = [
            switch_changes(ledger, units),
            parameters(ledger, *kind, units),
            payments(ledger, units),
            wakeup_sms(),
        ]
        checks += await workflows_closed(client)
        if all(c.ok for c in checks) or time.monotonic() > deadline:
            return checks
        await asyncio.sleep(2)


async def settle_lags(settle: dict[str, tuple[float, float]]) -> list[float]:
    """RC-GET answered -> the unit's newest enabled/disabled row, for the units whose switch change the
    soak's RC-GET delivered (a unit changed twice counts its last). A row written before the answer reached
    the unit (a loaded API answers late) counts 0; one older than the connection is an earlier change's."""
    deadline = time.time() + 60
    while True:
        with session_scope(actor="bench") as session:
            rows = dict(
                session.execute(
                    select(EnableHistory.product_imei, func.max(EnableHistory.created_at))
                    .where(EnableHistory.current_enable_state.in_(["enabled", "disabled"]))
                    .group_by(EnableHistory.product_imei)
                ).all()
            )
        written = {imei: rows[imei].replace(tzinfo=UTC).timestamp() for imei in settle if imei in rows}
        lags = [
            max(0.0, written[imei] - answered)
            for imei, (began, answered) in settle.items()
            if written.get(imei, 0.0) >= began - 0.5
        ]
        if len(lags) >= len(settle) or time.time() > deadline:
            return lags
        await asyncio.sleep(0.5)


def _few(items: list[str], shown: int = 3) -> str:
    if not items:
        return "0"
    return f"{len(items)} ({', '.join(items[:shown])}{', ...' if len(items) > shown else ''})"
