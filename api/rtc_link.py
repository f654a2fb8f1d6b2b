"""The API's link to the broker: one Publisher per app, and sync helpers for routes (which run in threads).

No broker, no RTC: every call that needs it answers 503 with the reason, and nothing else is affected.
"""

from __future__ import annotations

from typing import Annotated

from anyio import from_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.settings import get_settings
from db.models.product import Product
from domain.errors import AppError, Conflict
from domain.rtc import histories, mt
from domain.rtc.encoding import MtType
from domain.rtc.publisher import BrokerUnavailable, Publisher, UnitNotListening


class RtcUnavailable(AppError):
    status_code = 503


async def get_publisher(request: Request) -> Publisher:
    """Tests put their own (prefixed names) on `app.state.rtc_publisher`."""
    publisher = getattr(request.app.state, "rtc_publisher", None)
    if publisher is None:
        publisher = request.app.state.rtc_publisher = Publisher(get_settings())
    return publisher


PublisherDep = Annotated[Publisher, Depends(get_publisher)]


def call(publisher: Publisher, method, *args):
    """Run one async broker call from a sync route; no broker is a 503 saying why."""
    try:
        return from_thread.run(method, *args)
    except BrokerUnavailable as err:
        raise RtcUnavailable(f"RTC is off: {err}") from err


def send(session: Session, publisher: Publisher, product: Product, kind: MtType, body=None) -> str:
    """Record an MT message, commit, publish it; its reference. A unit with no link is a 409, a broker gone
    mid-publish a 503 (row `failed` either way)."""
    call(publisher, publisher.channel)  # no broker: 503 before anything is written
    frame = mt.message(session, product, kind, body, utcnow())
    session.commit()
    try:
        call(publisher, publisher.publish_mt, product.product_imei, frame)
    except (UnitNotListening, RtcUnavailable) as err:
        # The row was committed before the publish: it must not stay without a status (a broker that dropped
        # the publisher mid-publish is a 503; a reply that still comes marks it delivered after all).
        histories.settle_mt(session, frame.message_id, False, str(err), utcnow())
        session.commit()
        if isinstance(err, RtcUnavailable):
            raise
        raise Conflict(
            f"Unit {product.product_imei} is not connected over RTC now; nothing was delivered"
        ) from err
    return frame.message_id
