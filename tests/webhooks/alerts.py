"""Alert test data."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from sqlalchemy.orm import Session

from db.models.alert import Alert, AlertType
from db.models.product import Product

_seq = count(1)


def make_alert(session: Session, product: Product, **fields) -> Alert:
    n = next(_seq)
    alert_type = AlertType(
        name=f"Low battery {n}",
        version=1,
        status="live",
        analysis_frequency=datetime(2016, 1, 1),
        active=True,
        label=f"low-battery-{n}",
    )
    session.add(alert_type)
    session.flush()
    alert = Alert(
        product_imei=product.product_imei,
        alert_type_id=alert_type.alert_type_id,
        start_time=fields.pop("start_time", datetime(2016, 1, 1)),
        **fields,
    )
    session.add(alert)
    session.commit()
    return alert
