"""The device workflow's RTC activity: push an RTC unit's pending changes as one STATE message.

Async (it publishes through the worker's one broker connection, aio-pika) with its database work in a
thread. The MT row is committed before the message is published, so the unit's reply always finds it; a
unit with no link or a broker that is away is an answer (the workflow falls back to RC-GET), not an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from temporalio import activity

from contracts.device import DeviceActivity
from contracts.device_rtc import PushOutcome, RtcPushInput, RtcPushResult
from core.clock import utcnow
from db.session import session_scope
from domain.rtc import histories
from domain.rtc.publisher import BrokerUnavailable, Publisher, UnitNotListening
from domain.rtc.push import state_push


class RtcPushActivities:
    def __init__(self, publisher: Publisher) -> None:
        self._publisher = publisher

    def all(self) -> list[Callable]:
        return [self.push_rtc_state]

    @activity.defn(name=DeviceActivity.PUSH_RTC_STATE)
    async def push_rtc_state(self, input: RtcPushInput) -> RtcPushResult:
        frame, waiting = await asyncio.to_thread(self._record, input)
        if frame is None:
            return RtcPushResult(outcome=PushOutcome.NOT_RTC, pending=waiting)
        try:
            await self._publisher.publish_mt(input.imei, frame)
        except UnitNotListening as err:
            await asyncio.to_thread(self._failed, frame.message_id, str(err))
            return RtcPushResult(outcome=PushOutcome.NO_LINK, pending=waiting, info=str(err))
        except BrokerUnavailable as err:
            await asyncio.to_thread(self._failed, frame.message_id, str(err))
            return RtcPushResult(outcome=PushOutcome.BROKER_UNAVAILABLE, pending=waiting, info=str(err))
        return RtcPushResult(outcome=PushOutcome.PUBLISHED, pending=waiting)

    @staticmethod
    def _record(input: RtcPushInput):
        with session_scope(actor="system:rtc") as session:
            return state_push(session, input.imei, input.message_id, input.at)

    @staticmethod
    def _failed(message_id: str, info: str) -> None:
        with session_scope(actor="system:rtc") as session:
            histories.settle_mt(session, message_id, False, info, utcnow())
