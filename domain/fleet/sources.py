"""Where the fleet views read each fact about a unit: pieces shared by dashboard2 and current_enable_status.

Every fact is a correlated scalar subquery on `product`: the latest state, enable-history row,
connection and located connection through the `product.latest_*_id` columns the writers keep (a
primary-key lookup each, whatever the history size), entities, parameters and software on indexed
`product_imei` columns (migration 0010). Subqueries rather than joins because PostgreSQL evaluates
them only for the rows that need them: a filter first narrows the units (an entity's, through the
linker index), an order computes its key for those, and the shown fields are read for the page's rows
alone, where outer joins would hash every connection and state of the fleet on each request.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Float, ScalarSelect, String, and_, case, cast, func, select

from db.models.history import Connection, EnableHistory, State, StateType
from db.models.organisation import Entity
from db.models.product import Product, ProductEntityLinker, ProductType
from db.models.software import Parameter, ParameterType, ProductSoftwareLinker, SoftwareVersionType
from domain.device.software import PENDING, installed

# The unit's parameters that the views show (parameter types seeded by the parameters migration).
ENERGY_LIMIT = "energy_limit"
TOTAL_ACCESSORY_ENERGY = "total_accessory_energy"
ACTIVE = "active"
NUMBER = r"^\s*-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?\s*$"  # a number written as text


def _one(column, *conditions) -> ScalarSelect:
    return select(column).where(*conditions).scalar_subquery()


def hardware_type() -> ScalarSelect:
    return _one(ProductType.name, ProductType.product_type_id == Product.product_type_id)


def latest_state(column) -> ScalarSelect:
    """`column` of the unit's latest `state` row."""
    return _one(column, State.state_id == Product.latest_state_id)


def state_name() -> ScalarSelect:
    """The doc's dashboard shows state type names in lower case (`"activated"`)."""
    return (
        select(func.lower(StateType.name, type_=String))
        .select_from(State)
        .join(StateType, StateType.state_type_id == State.current_state_type)
        .where(State.state_id == Product.latest_state_id)
        .scalar_subquery()
    )


def latest_enable(column) -> ScalarSelect:
    """`column` of the unit's latest `enable_history` row."""
    return _one(column, EnableHistory.enable_history_id == Product.latest_enable_history_id)


def recent_connection(column) -> ScalarSelect:
    return _one(column, Connection.connection_id == Product.latest_connection_id)


def located_connection(column) -> ScalarSelect:
    """`column` of the unit's newest connection that located it."""
    return _one(column, Connection.connection_id == Product.latest_connection_location_id)


def locked_software() -> ScalarSelect:
    return _one(
        SoftwareVersionType.name, SoftwareVersionType.software_version_type_id == Product.software_lock
    )


def current_links() -> ColumnElement[bool]:
    """The unit's current entity links (a unit may belong to several entities at once)."""
    return and_(
        ProductEntityLinker.product_imei == Product.product_imei, ProductEntityLinker.date_removed.is_(None)
    )


def current_entity(column) -> ScalarSelect:
    """`column` of the entity the unit joined last among its current ones (the one an ERP row names)."""
    return (
        select(column)
        .select_from(ProductEntityLinker)
        .join(Entity, Entity.entity_id == ProductEntityLinker.entity_id)
        .where(current_links())
        .order_by(ProductEntityLinker.product_entity_linker_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def parameter_value(type_name: str, *, as_number: bool = False) -> ScalarSelect:
    """The value the unit runs (status `active`) of its parameter `type_name`: as stored (text), or as a
    float where it is a number and else NULL, so filters and orders compare numbers; the guard keeps one
    malformed value from failing a whole fleet query."""
    value = Parameter.value
    shown = case((value.regexp_match(NUMBER), cast(value, Float)), else_=None) if as_number else value
    # The type's id is an uncorrelated subquery: computed once per statement, not once per unit.
    type_id = select(ParameterType.parameter_type_id).where(ParameterType.name == type_name).scalar_subquery()
    return (
        select(shown)
        .where(
            Parameter.product_imei == Product.product_imei,
            Parameter.parameter_type_id == type_id,
            Parameter.status == ACTIVE,
        )
        .order_by(Parameter.parameter_id.desc())
        .limit(1)
        .scalar_subquery()
    )


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


def pending_software(column=SoftwareVersionType.name) -> ScalarSelect:
    """The update waiting for the unit, if any (its name, or another column of its linker row)."""
    return _software(ProductSoftwareLinker.status == PENDING, column)
