"""Telling a unit's running workflows that it changed entity, so they carry the new `EntityId`.

Only running workflows need it: every workflow started later reads the unit's entity when it starts.
The change is already committed when this runs, so a workflow that is not running is fine, and an
unreachable Temporal only leaves the old `EntityId` on a run until it ends (logged, never a failure).
"""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from contracts.device import device_workflow_id
from contracts.repair import repair_workflow_id
from workflows.device import DeviceWorkflow
from workflows.repair import RepairWorkflow

log = logging.getLogger(__name__)


async def entity_changed(client: Client, imei: str, repair_id: int | None, entity_id: int | None) -> None:
    targets = [(device_workflow_id(imei), DeviceWorkflow.entity_changed)]
    if repair_id is not None:
        targets.append((repair_workflow_id(repair_id), RepairWorkflow.entity_changed))
    for workflow_id, signal in targets:
        try:
            await client.get_workflow_handle(workflow_id).signal(signal, entity_id)
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:  # not running: nothing to tell
                log.warning("EntityId of %s not updated: %s", workflow_id, err.message)
