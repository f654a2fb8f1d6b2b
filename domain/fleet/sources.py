"""Where the fleet views read each fact about a unit: pieces shared by dashboard2 and current_enable_status.

A unit's latest state, enable-history row, connection and located connection are reached through the
`product.latest_*_id` columns the writers keep (one primary-key join each, whatever the history size);
its entity, parameters and software through correlated subqueries on indexed `product_imei` columns
(migration 0010), so a page costs the same at 100 units or 100,000.
"""

from __future__ import annotations

from sqlalchemy import Float, ScalarSelect, String, and_, case, cast, func, select
from sqlalchemy.orm import aliased

from db.models.history import Connection, State, StateType
from db.models.organisation import Entity
from db.models.product import Product, ProductEntityLinker
from db.models.software import Parameter, ParameterType, ProductSoftwareLinker, SoftwareVersionType
from domain.device.software import PENDING, installed

# The unit's parameters that the views show (parameter types seeded by the parameters migration).
ENERGY_LIMIT = "energy_limit"
TOTAL_ACCESSORY_ENERGY = "total_accessory_energy"
ACTIVE = "active"
# A number as text: the guard keeps one malformed value from failing a whole fleet query.
NUMBER = r"^\s*-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?\s*$"

LatestState = aliased(State, name="latest_state")
LatestStateType = aliased(StateType, name="latest_state_type")
RecentConnection = aliased(Connection, name="recent_connection")
LocatedConnection = aliased(Connection, name="located_connection")
LockedSoftware = aliased(SoftwareVersionType, name="locked_software")


def current_links():
    """The unit's current entity links (a unit may belong to several entities at once)."""
    return and_(
        ProductEntityLinker.product_imei == Product.product_imei, ProductEntityLinker.date_removed.is_(None)
    )


def current_entity_id() -> ScalarSelect:
    """The entity the unit joined last among its current ones (the one an ERP row names)."""
    return (
        select(ProductEntityLinker.entity_id)
        .where(current_links())
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def current_entity_name() -> ScalarSelect:
    return (
        select(Entity.name)
        .select_from(Entity)
        .join(ProductEntityLinker, ProductEntityLinker.entity_id == Entity.entity_id)
        .where(current_links())
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def parameter_value(type_name: str) -> ScalarSelect:
    """The value the unit runs (status `active`) of its parameter `type_name`, as stored (text)."""
    return (
        select(Parameter.value)
        .select_from(Parameter)
        .join(ParameterType, ParameterType.parameter_type_id == Parameter.parameter_type_id)
        .where(
            Parameter.product_imei == Product.product_imei,
            ParameterType.name == type_name,
            Parameter.status == ACTIVE,
        )
        .order_by(Parameter.parameter_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def as_number(text):
    """`text` as a float where it is a number, else NULL (so filters and orders compare numbers)."""
    return case((text.regexp_match(NUMBER), cast(text, Float)), else_=None)


def _software(condition, column) -> ScalarSelect:
    return (
        select(column)
        .select_from(ProductSoftwareLinker)
        .join(
            SoftwareVersionType,
            SoftwareVersionType.software_version_type_id == ProductSoftwareLinker.software_version_type_id,
        )
        .where(ProductSoftwareLinker.product_imei == Product.product_imei, condition)
        .order_by(ProductSoftwareLinker.product_software_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def installed_software() -> ScalarSelect:
    """The name of the version the unit runs."""
    return _software(installed(), SoftwareVersionType.name)


def pending_software() -> ScalarSelect:
    """The name of the update waiting for the unit, if any."""
    return _software(ProductSoftwareLinker.status == PENDING, SoftwareVersionType.name)


def pending_software_created_at() -> ScalarSelect:
    return _software(ProductSoftwareLinker.status == PENDING, ProductSoftwareLinker.created_at)


def state_name():
    """The doc's dashboard shows state type names in lower case (`"activated"`)."""
    return func.lower(LatestStateType.name, type_=String)
