"""What the database holds about a unit's enable and tamper switch, as the tests read it back."""

from __future__ import annotations

from sqlalchemy import select

from db.models.history import EnableHistory
from db.session import get_sessionmaker


def switch_states(imei: str, table=EnableHistory) -> list[str]:
    """`current_enable_state` of every `enable_history` (or `tamper_enable_history`) row, oldest first."""
    with get_sessionmaker()() as session:
        query = select(table).where(table.product_imei == imei)
        return [
            row.current_enable_state
            for row in session.scalars(query.order_by(*table.__table__.primary_key.columns))
        ]
