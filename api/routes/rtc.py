"""RTC actions (the doc's `sync`, `status_update`, `command_request`, `rtc_online_status`) and the
"RTC Dead Letter Actions". Permission levels the doc leaves open are chosen in the README."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AdminUser, ClockDep, ScopeDep, SessionDep, TechnicalUser
from api.rtc_link import PublisherDep, call, send
from api.schemas.envelope import Acknowledged, Done, Envelope
from api.schemas.products import Imported, MessageReference
from domain.errors import Forbidden
from domain.rtc import dead_letters, mt, online
from domain.rtc.broker import MO, MT_REPLY
from domain.rtc.encoding import MtType

router = APIRouter(tags=["rtc"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]


class CommandBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")


class OnlineStatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["online", "offline"]


Sent = Envelope[MessageReference]


def _sent(message: str, reference: str) -> Sent:
    return Sent(message=message, data=MessageReference(message_reference=reference))


@router.post("/products/{imei}/sync", response_model=Sent)
def sync(
    imei: Imei, session: SessionDep, user: TechnicalUser, scope: ScopeDep, publisher: PublisherDep
) -> Sent:
    reference = send(session, publisher, mt.rtc_unit(session, scope, imei), MtType.SYNC)
    return _sent("sync request successfully sent", reference)


@router.post("/products/{imei}/status_update", response_model=Sent)
def status_update(
    imei: Imei, session: SessionDep, user: TechnicalUser, scope: ScopeDep, publisher: PublisherDep
) -> Sent:
    reference = send(session, publisher, mt.rtc_unit(session, scope, imei), MtType.PARAMETERS)
    return _sent("status update successfully sent", reference)


@router.post("/products/{imei}/command_request", response_model=Sent)
def command_request(
    imei: Imei,
    body: CommandBody,
    session: SessionDep,
    user: AdminUser,
    scope: ScopeDep,
    publisher: PublisherDep,
) -> Sent:
    """The unit's reply (its output) lands in the message's `rtc_message_history.delivery_status_info`."""
    product = mt.rtc_unit(session, scope, imei)
    reference = send(session, publisher, product, MtType.COMMAND, body.command)
    return _sent("command successfully sent", reference)


@router.post("/products/{imei}/rtc_online_status", response_model=Acknowledged)
def rtc_online_status(
    imei: Imei,
    body: OnlineStatusBody,
    session: SessionDep,
    user: TechnicalUser,
    scope: ScopeDep,
    clock: ClockDep,
) -> Acknowledged:
    product = mt.rtc_unit(session, scope, imei)
    online.set_status(session, product, body.status, "user-request", clock(), info=f"set by {user.username}")
    return Acknowledged(message="RTC online status set")


def _import(session, scope, publisher, clock, queue: str) -> int:
    if not scope.is_global:
        raise Forbidden("Importing dead letters needs a GLOBAL user: the queues hold every entity's units")
    imported = 0
    while True:
        taken = call(publisher, publisher.take_dead_letter, queue)
        if taken is None:
            return imported
        letter, message = taken
        dead_letters.store(session, letter, clock())
        session.commit()  # stored before the broker forgets it
        call(publisher, message.ack)
        imported += 1


ImportDone = Envelope[Imported]


@router.post("/rtc_import_mo_dead_letters", response_model=ImportDone)
def import_mo(
    session: SessionDep, user: AdminUser, scope: ScopeDep, publisher: PublisherDep, clock: ClockDep
) -> ImportDone:
    count = _import(session, scope, publisher, clock, MO)
    return ImportDone(message="MO dead letters imported", data=Imported(imported=count))


@router.post("/rtc_import_mt_reply_dead_letters", response_model=ImportDone)
def import_mt_reply(
    session: SessionDep, user: AdminUser, scope: ScopeDep, publisher: PublisherDep, clock: ClockDep
) -> ImportDone:
    count = _import(session, scope, publisher, clock, MT_REPLY)
    return ImportDone(message="MT Reply dead letters imported", data=Imported(imported=count))


@router.put("/rtc_dead_letters/{dead_letter_id}/replay", response_model=Done)
def replay(
    dead_letter_id: int,
    session: SessionDep,
    user: AdminUser,
    scope: ScopeDep,
    publisher: PublisherDep,
    clock: ClockDep,
) -> Done:
    row = dead_letters.get(session, scope, dead_letter_id)
    letter = dead_letters.replayable(row)
    try:
        queue = publisher.names(letter.queue)
        call(publisher, publisher.publish_to_queue, queue, letter.body, letter.message_id, letter.headers)
    except Exception as err:
        dead_letters.record_replay(row, False, str(err)[:1000], clock())
        session.commit()
        raise
    dead_letters.record_replay(row, True, f"published to {letter.queue}", clock())
    return Done(message="Dead letter message replayed")


@router.put("/rtc_dead_letters/{dead_letter_id}/discard", response_model=Done)
def discard(
    dead_letter_id: int, session: SessionDep, user: AdminUser, scope: ScopeDep, clock: ClockDep
) -> Done:
    dead_letters.discard(dead_letters.get(session, scope, dead_letter_id), clock())
    return Done(message="Dead letter message discarded")


@router.get("/rtc_dead_letters/{dead_letter_id}/decode", response_model=Envelope[str])
def decode(dead_letter_id: int, session: SessionDep, user: TechnicalUser, scope: ScopeDep) -> Envelope[str]:
    text = dead_letters.decoded(dead_letters.get(session, scope, dead_letter_id))
    return Envelope[str](message="Dead letter message decoded", data=text)
