"""Removing a test's broker names (its queues and exchanges) after it ran."""

from __future__ import annotations

from domain.rtc.broker import Names


async def drop_topology(channel, names: Names, imeis: list[str]) -> None:
    for queue in (names.mo, names.mt_reply):
        await channel.queue_delete(queue)
        await channel.queue_delete(names.dead_letter(queue))
        await channel.exchange_delete(names.dlx(queue))
    for imei in imeis:
        await channel.queue_delete(names.unit_queue(imei))
    await channel.exchange_delete(names.mt_exchange)
