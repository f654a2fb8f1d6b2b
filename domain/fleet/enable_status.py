"""`/v1/current_enable_status`: every unit's enable status, for the ERP's two-hourly sync.

Units come in `product_imei` order: the key is unique and never changes (PUT cannot change it), so a
unit whose state changes during a sync stays where it was. Pages are read by keyset (`after`: the
last imei of the previous page; `WHERE product_imei > :after ORDER BY product_imei LIMIT n`): a unit
added or removed during a walk shifts no other unit, so none is skipped or repeated, and every page
costs one index range scan however deep the walk is. `page` numbers (the doc's) are served too, by
offset over the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from db.models.history import EnableHistory, State
from db.models.organisation import Entity
from db.models.product import Product
from domain.fleet import sources as s
from domain.scope import UnitScope
from domain.tables.scope import row_visible

COLUMNS = (
    s.latest_enable(EnableHistory.current_enable_state).label("current_enable_state"),
    s.latest_state(State.current_state_type).label("current_state_type"),
    s.latest_enable(EnableHistory.date).label("date"),
    Product.dcm_enabled_flag,
    s.current_entity(Entity.name).label("entity"),
    s.current_entity(Entity.entity_id).label("entity_id"),
    s.hardware_type().label("hardware_type"),
    s.latest_enable(EnableHistory.prev_enable_state).label("prev_enable_state"),
    Product.product_imei,
    Product.product_type_id,
    Product.serial_number,
    s.parameter_value(s.TOTAL_ACCESSORY_ENERGY, as_number=True).label("total_accessory_energy"),
    s.latest_enable(EnableHistory.user).label("user"),
)


@dataclass(frozen=True)
class StatusPage:
    rows: list[Row]
    num_results: int  # units the user sees now
    next_after: str | None  # the `after` of the next page; None on the last one


def status_page(
    session: Session, scope: UnitScope, *, results_per_page: int, page: int = 1, after: str | None = None
) -> StatusPage:
    """One page of the fleet's enable statuses, by keyset when `after` is given, else by page number."""
    visible = row_visible(Product, scope)
    statement = select(*COLUMNS).where(visible).order_by(Product.product_imei)
    if after is not None:
        statement = statement.where(Product.product_imei > after)
    else:
        statement = statement.offset((page - 1) * results_per_page)
    # One row more than the page says whether another page follows, without a second query.
    rows = list(session.execute(statement.limit(results_per_page + 1)))
    more = len(rows) > results_per_page
    rows = rows[:results_per_page]
    total = session.scalar(select(func.count()).select_from(Product).where(visible))
    return StatusPage(rows, total, rows[-1].product_imei if more else None)
