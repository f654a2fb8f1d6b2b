"""RC-POST keeps `product.latest_connection_location_id` (dashboard2's location): a connection that
failed to locate the unit moves `latest_connection_id` only."""

from __future__ import annotations

from datetime import timedelta

from core.clock import utcnow
from domain.device.unit_protocol import RcReport, record_rc_post
from tests.utils.factories import make_product, make_software


def test_latest_location_follows_located_connections_only(db):
    unit = make_product(db)
    make_software(db, "2.16")
    now = utcnow()
    located = RcReport(
        enable_flag=True, tamper_flag=False, software="2.16", latitude="-1.95", longitude="30.06"
    )
    first = record_rc_post(db, unit.product_imei, located, now, 5).connection_id
    unlocated = RcReport(enable_flag=True, tamper_flag=False, software="2.16")
    second = record_rc_post(db, unit.product_imei, unlocated, now + timedelta(hours=4), 5).connection_id
    db.commit()
    db.refresh(unit)
    assert unit.latest_connection_id == second
    assert unit.latest_connection_location_id == first
