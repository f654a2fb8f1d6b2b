"""Options of selection inputs that come from the database, read when a state is entered.

Replacement choices come from part_type_replacement_linker (which part types may replace the unit's
fitted ones), symptoms from symptom_type_product_type_linker: never from constants in code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models.parts import Part, PartProductLinker, PartType, PartTypeCategory, PartTypeReplacementLinker
from db.models.product import Product
from db.models.repair import SymptomType, SymptomTypeProductTypeLinker
from repair_flows.spec import Option, StateSpec


def fitted_parts(session: Session, imei: str, category: str) -> list[tuple[PartProductLinker, Part]]:
    """The parts of `category` fitted in the unit now (linkers not removed), oldest first."""
    rows = session.execute(
        select(PartProductLinker, Part)
        .join(Part, Part.part_id == PartProductLinker.part_id)
        .join(PartType, PartType.part_type_id == Part.part_type_id)
        .join(PartTypeCategory, PartTypeCategory.part_type_category_id == PartType.part_type_category_id)
        .where(
            PartProductLinker.product_imei == imei,
            PartProductLinker.date_removed.is_(None),
            PartTypeCategory.name == category,
        )
        .order_by(PartProductLinker.part_product_linker_id)
    )
    return [(linker, part) for linker, part in rows]


def replacement_rules(session: Session, product: Product, category: str) -> list[PartTypeReplacementLinker]:
    """The replacement rules that apply to the unit's fitted parts of `category`, defaults first.

    Rules for the unit's product type come before generic ones (product_type_id null). A unit with
    no part of the category fitted may take any replacement listed for a part type of the category.
    """
    fitted_types = {part.part_type_id for _, part in fitted_parts(session, product.product_imei, category)}
    existing = PartTypeReplacementLinker.existing_part_type_id
    if fitted_types:
        applies = existing.in_(fitted_types)
    else:
        applies = existing.in_(
            select(PartType.part_type_id)
            .join(PartTypeCategory, PartTypeCategory.part_type_category_id == PartType.part_type_category_id)
            .where(PartTypeCategory.name == category)
        )
    return list(
        session.scalars(
            select(PartTypeReplacementLinker)
            .where(
                applies,
                or_(
                    PartTypeReplacementLinker.product_type_id == product.product_type_id,
                    PartTypeReplacementLinker.product_type_id.is_(None),
                ),
            )
            .order_by(
                PartTypeReplacementLinker.product_type_id.is_(None),
                PartTypeReplacementLinker.default_part_type.desc(),
                PartTypeReplacementLinker.part_type_replacement_linker_id,
            )
        )
    )


def replacement_part_types(session: Session, product: Product, *, category: str) -> list[Option]:
    rules = replacement_rules(session, product, category)
    ids = list(dict.fromkeys(rule.replacement_part_type_id for rule in rules))
    names = dict(
        session.execute(
            select(PartType.part_type_id, PartType.name).where(PartType.part_type_id.in_(ids))
        ).all()
    )
    return [Option(value=part_type_id, label=names[part_type_id]) for part_type_id in ids]


def symptom_types(session: Session, product: Product) -> list[Option]:
    rows = session.execute(
        select(SymptomType.symptom_type_id, SymptomType.label)
        .join(
            SymptomTypeProductTypeLinker,
            SymptomTypeProductTypeLinker.symptom_type_id == SymptomType.symptom_type_id,
        )
        .where(SymptomTypeProductTypeLinker.product_type_id == product.product_type_id)
        .order_by(SymptomType.label)
    )
    return [Option(value=symptom_type_id, label=label) for symptom_type_id, label in rows]


SOURCES: dict[str, Callable[..., list[Option]]] = {
    "replacement_part_types": replacement_part_types,
    "symptom_types": symptom_types,
}


def load_options(session: Session, product: Product, state: StateSpec) -> dict[str, list[Option]]:
    """The database-sourced options of `state`'s inputs, by input ident."""
    options: dict[str, list[Option]] = {}
    for spec in state.inputs:
        if spec.options_source is not None:
            params: dict[str, Any] = spec.options_source.params
            options[spec.ident] = SOURCES[spec.options_source.name](session, product, **params)
    return options
