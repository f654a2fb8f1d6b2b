"""`/v1/dashboard2`: one object per unit with what an operator looks at first.

The scalar fields are one `View` (domain/tables/views.py) over `product`, so the table API's `q`
filters and orders every one of them in SQL, computed ones included (`state`, `capacity_limit`,
`recent_connection`, ...). `entities` is a linked collection: as the doc says, a filter naming it
compares the entity's name. The collections of a page (entities, open alerts, notes) are read in one
query each for the page's units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.base import Base
from db.models.alert import Alert
from db.models.history import Connection, State
from db.models.organisation import Entity
from db.models.product import Product, ProductEntityLinker, ProductNote
from db.models.software import ProductSoftwareLinker
from domain.fleet import sources as s
from domain.scope import UnitScope
from domain.tables.scope import row_visible
from domain.tables.views import LinkedRows, View

DASHBOARD = View(
    name="dashboard2",
    model=Product,
    from_clause=Product.__table__,
    fields={
        "product_imei": Product.product_imei,
        "serial_number": Product.serial_number,
        "imsi": Product.imsi,
        "hardware_type": s.hardware_type(),
        "hub_id": Product.hub_id,
        "shop_id": Product.shop_id,
        "location_date": s.located_connection(Connection.date),
        "latitude": s.located_connection(Connection.latitude),
        "longitude": s.located_connection(Connection.longitude),
        "error_radius": s.located_connection(Connection.error_radius),
        "software": s.installed_software(),
        "software_lock": s.locked_software(),
        "pending_software": s.pending_software(),
        "pending_software_created_at": s.pending_software(ProductSoftwareLinker.created_at),
        "state": s.state_name(),
        "state_date": s.latest_state(State.created_at),
        "recent_connection": s.recent_connection(Connection.date),
        "capacity_limit": s.parameter_value(s.ENERGY_LIMIT, as_number=True),
        "current_enable_flag": Product.current_enable_flag,
        "desired_enable_flag": Product.desired_enable_flag,
        "current_tamper_flag": Product.current_tamper_flag,
        "desired_tamper_flag": Product.desired_tamper_flag,
        "created_at": Product.created_at,
        "created_by": Product.created_by,
        "modified_at": Product.modified_at,
        "modified_by": Product.modified_by,
    },
    shown={"capacity_limit": s.parameter_value(s.ENERGY_LIMIT)},
    linked={
        "entities": LinkedRows(
            target=Entity,
            default_field="name",
            link=and_(s.current_links(), ProductEntityLinker.entity_id == Entity.entity_id),
            through=(ProductEntityLinker,),
        )
    },
)


def visible_units(session: Session, scope: UnitScope) -> int:
    """How many units `scope` sees: the doc's `num_results`, before any filter."""
    return session.scalar(select(func.count()).select_from(Product).where(row_visible(Product, scope)))


class PageCollections:
    """The entities, open alerts and notes of a page's units, each list keyed by imei."""

    def __init__(self, session: Session, scope: UnitScope, imeis: Sequence[str]) -> None:
        self.entities = _grouped(
            session,
            select(ProductEntityLinker.product_imei, Entity)
            .join(Entity, Entity.entity_id == ProductEntityLinker.entity_id)
            .where(
                ProductEntityLinker.product_imei.in_(imeis),
                ProductEntityLinker.date_removed.is_(None),
                row_visible(Entity, scope),
            )
            .order_by(ProductEntityLinker.product_entity_linker_id),
        )
        # Open alerts: a dismissed alert needs no more attention.
        self.alerts = _grouped(
            session,
            select(Alert.product_imei, Alert)
            .where(Alert.product_imei.in_(imeis), Alert.dismissed_at.is_(None))
            .order_by(Alert.alert_id),
        )
        self.notes = _grouped(
            session,
            select(ProductNote.product_imei, ProductNote)
            .where(ProductNote.product_imei.in_(imeis))
            .order_by(ProductNote.product_note_id),
        )


def _grouped(session: Session, statement) -> dict[str, list[Base]]:
    grouped: dict[str, list[Base]] = defaultdict(list)
    for imei, row in session.execute(statement):
        grouped[imei].append(row)
    return grouped
