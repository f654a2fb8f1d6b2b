"""Typed calls from the RTC consumer to a unit's DeviceWorkflow (only a running one needs to hear)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.device import DeviceWorkflow


def _handle(client: Client, imei: str):
    return client.get_workflow_handle_for(DeviceWorkflow.run, f"device/{imei}")


async def unit_changed(client: Client, imei: str, reason: str) -> bool:
    """A unit's message settled something or brought it online: its workflow reloads what is pending."""
    try:
        await _handle(client, imei).signal(DeviceWorkflow.pending_changed, reason)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
