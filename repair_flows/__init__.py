"""Repair flows as data (states, IRT inputs and events, transitions, named effects) and their engine.

`FLOWS` is the registry a repair_workflow_selector's `workflow_name` refers to.
"""

from __future__ import annotations

from repair_flows.flows import battery_swap, control_unit
from repair_flows.spec import Flow

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (control_unit.FLOW, battery_swap.FLOW)}


def get_flow(name: str) -> Flow | None:
    return FLOWS.get(name)


def default_flow_for(product_type_name: str) -> Flow | None:
    """The flow that serves a product type when no selector rule names one."""
    return next((f for f in FLOWS.values() if product_type_name in f.product_types), None)
