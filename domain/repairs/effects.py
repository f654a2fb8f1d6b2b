"""The named database effects a flow's transitions apply, each returning how to undo itself.

A flow names an effect and its parameters (`EffectSpec`); `EFFECTS` maps the name to the function.
Every effect records its inverse (`UndoOp`s) before it changes a row, or says why it cannot be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.parts import Part, PartProductLinker, PartType
from db.models.product import Product
from db.models.repair import Repair, RepairPartTypeLinker, RepairSymptomTypeLinker
from domain.errors import BadRequest
from domain.lifecycle.states import ACTIVATED, TERMINATED, change_product_state
from domain.repairs.options import fitted_parts, replacement_rules
from domain.repairs.undo import UndoOp, delete_row, restore_columns
from repair_flows.i18n import N_, Message, msg
from repair_flows.validation import parse_datetime

META = ["modified_at", "modified_by"]


@dataclass
class EffectContext:
    """What an effect works with: the repair, its unit, this step's values, who and when."""

    session: Session
    repair: Repair
    product: Product
    values: dict[str, Any]
    actor: str
    now: datetime


@dataclass
class EffectResult:
    undo: list[UndoOp] = field(default_factory=list)
    can_undo: bool = True
    refusal: Message | None = None

    def refuse_undo(self, reason: Message) -> None:
        self.can_undo, self.refusal = False, self.refusal or reason


Effect = Callable[..., EffectResult]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


# Repair columns a flow may fill from an input, and how the input's value becomes the column's.
REPAIR_FIELDS: dict[str, Callable[[Any], Any]] = {
    "arrival_date": lambda v: parse_datetime(v).date(),
    "refurbishment_date": lambda v: parse_datetime(v).date(),
    "measured_battery_capacity": float,
}


@effect("set_repair_field")
def set_repair_field(ctx: EffectContext, *, field: str, input: str) -> EffectResult:  # noqa: A002
    """repair.<field> = the input's value (restored on undo)."""
    undo = [restore_columns(ctx.repair, [field])]
    value = ctx.values.get(input)
    setattr(ctx.repair, field, None if value is None else REPAIR_FIELDS[field](value))
    return EffectResult(undo)


@effect("record_symptoms")
def record_symptoms(ctx: EffectContext, *, input: str) -> EffectResult:  # noqa: A002
    """One repair_symptom_type_linker row per symptom chosen (deleted on undo)."""
    rows = [
        RepairSymptomTypeLinker(repair_id=ctx.repair.repair_id, symptom_type_id=symptom_type_id)
        for symptom_type_id in ctx.values.get(input) or []
    ]
    ctx.session.add_all(rows)
    ctx.session.flush()
    return EffectResult([delete_row(row) for row in rows])


@effect("replace_part")
def replace_part(
    ctx: EffectContext, *, category: str, part_type_input: str, serial_input: str | None = None
) -> EffectResult:
    """Fit a new part of each chosen replacement type in place of the fitted part it replaces.

    part_product_linker: the old part's linker gets date_removed/removed_repair_id, a new linker has
    added_repair_id and replaced_part_id; repair_part_type_linker records the swap. A non-transferable
    replacement cannot be taken out again, so its step cannot be undone.
    """
    chosen = ctx.values[part_type_input]
    result = EffectResult()
    serial = ctx.values.get(serial_input) if serial_input else None
    for replacement_type_id in chosen if isinstance(chosen, list) else [chosen]:
        _swap(ctx, category, replacement_type_id, serial, result)
    return result


def _swap(
    ctx: EffectContext, category: str, replacement_type_id: int, serial: str | None, result: EffectResult
) -> None:
    session, repair = ctx.session, ctx.repair
    rules = [
        r
        for r in replacement_rules(session, ctx.product, category)
        if r.replacement_part_type_id == replacement_type_id
    ]
    if not rules:
        raise BadRequest(f"Part type {replacement_type_id} may not replace any {category} part of this unit")
    rule = rules[0]
    fitted = fitted_parts(session, ctx.product.product_imei, category)
    old = next(
        ((linker, part) for linker, part in fitted if part.part_type_id == rule.existing_part_type_id), None
    )
    new_part, created = _new_part(session, replacement_type_id, serial)
    if old is not None:
        old_linker, _ = old
        result.undo.append(restore_columns(old_linker, ["date_removed", "removed_repair_id", *META]))
        old_linker.date_removed = ctx.now
        old_linker.removed_repair_id = repair.repair_id
    new_linker = PartProductLinker(
        part_id=new_part.part_id,
        product_imei=ctx.product.product_imei,
        date_added=ctx.now,
        added_repair_id=repair.repair_id,
        replaced_part_id=old[1].part_id if old else None,
    )
    swap = RepairPartTypeLinker(
        repair_id=repair.repair_id,
        old_part_type_id=old[1].part_type_id if old else None,
        new_part_id=new_part.part_id,
        new_part_type_id=replacement_type_id,
        requested_date=ctx.now,
        replaced_date=ctx.now,
        non_transferable=rule.non_transferable,
    )
    session.add_all([new_linker, swap])
    session.flush()
    if created:
        result.undo.append(delete_row(new_part))
    result.undo += [delete_row(new_linker), delete_row(swap)]
    if rule.non_transferable:
        name = session.scalar(select(PartType.name).where(PartType.part_type_id == replacement_type_id))
        result.refuse_undo(
            msg(
                N_(
                    "The new %(part_type)s is non-transferable: once fitted it cannot be taken out, "
                    "so this step cannot be undone."
                ),
                part_type=name,
            )
        )


def _new_part(session: Session, part_type_id: int, serial: str | None) -> tuple[Part, bool]:
    """The part to fit: a spare in stock with this serial, else a new part row. True if created."""
    if serial:
        part = session.scalar(select(Part).where(Part.serial_number == serial))
        if part is not None:
            if part.part_type_id != part_type_id:
                raise BadRequest(f"The part with serial number {serial} is not of the part type chosen")
            fitted_in = session.scalar(
                select(PartProductLinker.product_imei).where(
                    PartProductLinker.part_id == part.part_id, PartProductLinker.date_removed.is_(None)
                )
            )
            if fitted_in is not None:
                raise BadRequest(f"The part with serial number {serial} is fitted in unit {fitted_in}")
            return part, False
    part = Part(part_type_id=part_type_id, serial_number=serial)
    session.add(part)
    session.flush()
    return part, True


@effect("close_repair")
def close_repair(
    ctx: EffectContext,
    *,
    outcome: str,
    process: str | None = None,
    process_input: str | None = None,
    date_input: str | None = None,
    reason_input: str | None = None,
) -> EffectResult:
    """The outcome: repair.process/outcome set, and the unit moved to ACTIVATED or TERMINATED."""
    repair = ctx.repair
    repair.outcome = outcome
    repair.process = ctx.values[process_input] if process_input else process
    repair.pending_status = False
    if date_input:
        repair.refurbishment_date = parse_datetime(ctx.values[date_input]).date()
    if reason_input:
        repair.context = {**(repair.context or {}), "termination_reason": ctx.values[reason_input]}
    new_state = ACTIVATED if outcome == "refurbished" else TERMINATED
    change_product_state(ctx.session, ctx.product, new_state, ctx.actor)
    result = EffectResult()
    # The unit has left the repair system (and webhooks told the world): a finished repair stays finished.
    result.refuse_undo(msg(N_("This repair is finished: its steps can no longer be undone.")))
    return result
