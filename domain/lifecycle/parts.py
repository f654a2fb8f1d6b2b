"""`GET /products/<imei>/parts`: every part fitted to a unit, now or before, with what may replace it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models.parts import Part, PartProductLinker, PartType, PartTypeReplacementLinker
from db.models.product import Product
from domain.errors import NotFound
from domain.scope import UnitScope


@dataclass(frozen=True)
class FittedPart:
    part: Part
    linker: PartProductLinker  # the part's latest link to this unit (date_removed set: no longer fitted)
    part_type: PartType
    replacement_part_types: list[PartType]


def product_parts(session: Session, scope: UnitScope, imei: str) -> list[FittedPart]:
    """The unit's parts, oldest link first; replacements are the rules for its product type (or any type)."""
    scope.ensure_visible(session, imei)
    product = session.get(Product, imei)
    if product is None:
        raise NotFound(f"Product {imei} not found")
    rows = session.execute(
        select(PartProductLinker, Part, PartType)
        .join(Part, Part.part_id == PartProductLinker.part_id)
        .join(PartType, PartType.part_type_id == Part.part_type_id)
        .where(PartProductLinker.product_imei == imei)
        .order_by(PartProductLinker.part_product_linker_id)
    ).all()
    latest = {part.part_id: (linker, part, part_type) for linker, part, part_type in rows}
    type_ids = {part_type.part_type_id for _, _, part_type in latest.values()}
    rules = session.execute(
        select(PartTypeReplacementLinker.existing_part_type_id, PartType)
        .join(PartType, PartType.part_type_id == PartTypeReplacementLinker.replacement_part_type_id)
        .where(
            PartTypeReplacementLinker.existing_part_type_id.in_(type_ids),
            or_(
                PartTypeReplacementLinker.product_type_id == product.product_type_id,
                PartTypeReplacementLinker.product_type_id.is_(None),
            ),
        )
        .order_by(PartTypeReplacementLinker.part_type_replacement_linker_id)
    ).all()
    replacements: dict[int, list[PartType]] = {}
    for existing_id, part_type in rules:
        listed = replacements.setdefault(existing_id, [])
        if part_type not in listed:
            listed.append(part_type)
    return [
        FittedPart(part, linker, part_type, replacements.get(part_type.part_type_id, []))
        for linker, part, part_type in latest.values()
    ]
