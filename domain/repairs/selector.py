"""Which flow a new repair follows: repair_workflow_selector rules, then the flows' product types.

A USER rule (selector_value = the technician's username) beats an ENTITY rule (selector_value = the
GEIC of the entity that owns the unit). A matching rule whose workflow_name is null forbids creating
a repair workflow. With no matching rule, the flow that declares the product type serves it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.organisation import Entity
from db.models.product import Product, ProductType
from db.models.repair import RepairWorkflowSelector
from domain.errors import BadRequest
from domain.scope import unit_entity_id
from repair_flows import default_flow_for, get_flow
from repair_flows.spec import Flow


def matching_rule(session: Session, product: Product, username: str) -> RepairWorkflowSelector | None:
    rules = session.scalars(
        select(RepairWorkflowSelector)
        .where(RepairWorkflowSelector.product_type_id == product.product_type_id)
        .order_by(RepairWorkflowSelector.repair_workflow_selector_id)
    ).all()
    user_rule = next(
        (
            r
            for r in rules
            if r.selector_type == "USER" and r.selector_value.casefold() == username.casefold()
        ),
        None,
    )
    if user_rule is not None:
        return user_rule
    entity_id = unit_entity_id(session, product.product_imei)
    geic = session.scalar(select(Entity.geic).where(Entity.entity_id == entity_id)) if entity_id else None
    return next((r for r in rules if r.selector_type == "ENTITY" and geic and r.selector_value == geic), None)


def choose_flow(session: Session, product: Product, username: str) -> Flow:
    """The flow for a new repair of `product` started by `username`; 400 with the reason if none."""
    product_type = session.get(ProductType, product.product_type_id)
    rule = matching_rule(session, product, username)
    if rule is not None:
        if rule.workflow_name is None:
            raise BadRequest(
                f"A repair workflow cannot be created for this unit: repair_workflow_selector rule "
                f"{rule.repair_workflow_selector_id} ({rule.selector_type} {rule.selector_value}) forbids it "
                f"for product type {product_type.name}"
            )
        flow = get_flow(rule.workflow_name)
        if flow is None:
            raise BadRequest(
                f"repair_workflow_selector rule {rule.repair_workflow_selector_id} names an unknown repair "
                f"workflow '{rule.workflow_name}'"
            )
        return flow
    flow = default_flow_for(product_type.name)
    if flow is None:
        raise BadRequest(
            f"No repair workflow is configured for product type {product_type.name}: "
            "add a repair_workflow_selector rule naming one"
        )
    return flow
