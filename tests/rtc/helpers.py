"""Reading what the RTC consumer and endpoints wrote."""

from __future__ import annotations

from sqlalchemy import select

from db.models.history import Connection
from db.models.product import Product
from db.models.rtc import RtcConnectionHistory, RtcDeadLetter, RtcMessageHistory, RtcMoMessageHistory
from db.session import get_sessionmaker
from tests.utils.factories import make_product, run_software


def rows(model, *where, order=None) -> list:
    with get_sessionmaker()() as session:
        key = order if order is not None else list(model.__table__.primary_key)[0]
        return list(session.scalars(select(model).where(*where).order_by(key)))


def mo_rows(imei: str) -> list[RtcMoMessageHistory]:
    return rows(RtcMoMessageHistory, RtcMoMessageHistory.product_imei == imei)


def mt_rows(imei: str) -> list[RtcMessageHistory]:
    return rows(RtcMessageHistory, RtcMessageHistory.product_imei == imei)


def connections(imei: str) -> list[Connection]:
    return rows(Connection, Connection.product_imei == imei)


def online_rows(imei: str) -> list[RtcConnectionHistory]:
    return rows(RtcConnectionHistory, RtcConnectionHistory.product_imei == imei)


def dead_letters() -> list[RtcDeadLetter]:
    return rows(RtcDeadLetter)


def product(imei: str) -> Product:
    with get_sessionmaker()() as session:
        return session.get(Product, imei)


def rtc_product(session, **fields):
    """An RTC-enabled unit that runs the simulator's software."""
    unit = make_product(session, rtc_enabled_flag=True, **fields)
    run_software(session, unit, "3.6")
    return unit
