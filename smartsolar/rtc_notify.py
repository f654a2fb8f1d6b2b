"""What the RTC consumer tells the device workflows after a message is committed."""

from __future__ import annotations

from clients.temporal import connect
from core.settings import Settings
from domain.rtc.mo import MoOutcome
from workflows.device_rtc_client import unit_changed


async def temporal_notifier(settings: Settings):
    client = await connect(settings)
    return notifier(client)


def notifier(client):
    async def notify(outcome: MoOutcome) -> None:
        if outcome.settled or outcome.went_online:
            await unit_changed(client, outcome.imei, "rtc message")

    return notify
