"""Units whose report to their DeviceWorkflow was lost in a Temporal outage.

A plain table, not a mapped class: one row per unit owed a report, written and cleared with single
statements by the unit endpoints and read inside RC-GET's one-statement read (`domain/device/outstanding.py`).
It lives in the database so every API process sees it and it survives a restart.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table

from db.base import Base

owed_unit_report = Table(
    "owed_unit_report",
    Base.metadata,
    Column(
        "product_imei",
        String(15),
        ForeignKey("product.product_imei", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("owed_since", DateTime, nullable=False),  # when the first lost report happened
    # Lost reports so far: a report clears the row only if no other was lost since it was read.
    Column("lost_reports", Integer, nullable=False),
)
