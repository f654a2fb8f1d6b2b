"""`GET /products/locations`: each unit's latest located connection, paged, within the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.history import Connection
from domain.scope import UnitScope


@dataclass(frozen=True)
class LocationPage:
    locations: list[dict]
    num_results: int
    page: int
    results_per_page: int

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.num_results // self.results_per_page))


def latest_locations(session: Session, scope: UnitScope, page: int, results_per_page: int) -> LocationPage:
    """One row per unit (by imei): the latitude, longitude and error radius of its newest located connection."""
    latest = (
        select(func.max(Connection.connection_id).label("connection_id"))
        .where(
            Connection.product_imei.is_not(None),
            Connection.latitude.is_not(None),
            Connection.longitude.is_not(None),
            scope.imei_visible(Connection.product_imei),
        )
        .group_by(Connection.product_imei)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(latest)) or 0
    rows = session.execute(
        select(Connection.product_imei, Connection.latitude, Connection.longitude, Connection.error_radius)
        .join(latest, latest.c.connection_id == Connection.connection_id)
        .order_by(Connection.product_imei)
        .limit(results_per_page)
        .offset((page - 1) * results_per_page)
    ).all()
    locations = [
        {"error_radius": radius, "latitude": lat, "longitude": lon, "product_imei": imei}
        for imei, lat, lon, radius in rows
    ]
    return LocationPage(locations, total, page, results_per_page)
