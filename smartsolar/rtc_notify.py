"""What the RTC consumer tells the device workflows after a message is committed (through clients/device)."""

from __future__ import annotations

from clients import device as device_workflows
from contracts.device_rtc import RTC_ONLINE, RtcReply
from core.settings import Settings
from domain.rtc.mo import MoOutcome


def notifier(client, settings: Settings):
    async def notify(outcome: MoOutcome) -> None:
        imei = outcome.imei
        if outcome.reply is not None:
            reference, delivered = outcome.reply
            delivery = outcome.delivery
            if delivery is not None or not delivered:  # a STATE's fate: the workflow waits for it
                reply = RtcReply(
                    message_id=reference,
                    delivered=delivered,
                    at=outcome.at,
                    offered_payment_commands=delivery.offered_payment_commands if delivery else [],
                )
                await device_workflows.rtc_replied(client, settings, imei, reply)
                return
        if outcome.went_online:
            await device_workflows.unit_changed(client, settings, imei, RTC_ONLINE)
        elif outcome.settled:
            await device_workflows.unit_changed(client, settings, imei, "rtc message")

    return notify
