"""DeviceWorkflow runs already in deployments replay on the new code: each later addition sits behind
`workflow.patched`, so old histories take the old path.

The histories in `histories/`:
- `device_v1_*`: the first device workflow (switches and wake-ups only): an enable settled by an RC-GET;
  enable + tamper with a wake-up SMS, a receipt and a send_wakeup Update, still waiting; the same
  cancelled by the operator endpoint.
- `device_v2_*`: with payment commands and software (before its state moved into one model and
  connections came before wake-ups): an enable and a payment command settled; the same with the
  operator's cancel (sent to the workflow as a signal then).
- `device_v3_*`: payment commands and software with connections before wake-ups (before parameters).
- `device_v4_*`: with parameters, before RTC units were pushed their changes over the broker: an RTC-flagged
  unit's enable, parameter and payment command settled by RC-GETs and RC-POSTs, recorded from the stack; an
  enable with a wake-up SMS, two RC-GETs (each signalled the workflow and its child) and the receipt after
  them, which ended the child and then the workflow.
- `device_v5_*`: where a closed wake-up child is forgotten: an enable with a wake-up SMS and two RC-GETs at
  once; the child ended at the first, the signal for the second was refused and the run went on to
  complete, recorded from the stack.
- `wakeup_v1_*`: that run's WakeupWorkflow child, before it ended at the unit's connection (it waited for
  the receipt after the unit connected).

The worker runs both workflows unsandboxed (for speed); these replays run them in the sandbox, whose runtime
restrictions fail a non-deterministic call (the clock, random, I/O) on the recorded paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from workflows.device import DeviceWorkflow
from workflows.wakeup import WakeupWorkflow


def sandboxed_replayer() -> Replayer:
    return Replayer(
        workflows=[DeviceWorkflow, WakeupWorkflow],
        data_converter=pydantic_data_converter,
        unsandboxed_workflow_runner=SandboxedWorkflowRunner(),
    )


HISTORIES = sorted((Path(__file__).parent / "histories").glob("*_v*_*.json"))


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_histories_of_every_version_replay(path: Path):
    replayer = sandboxed_replayer()
    history = WorkflowHistory.from_json(f"{path.stem.split('_')[0]}/{path.stem}", path.read_text())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


def test_there_are_histories_of_each_version_to_replay():
    versions = {tuple(p.stem.split("_")[:2]) for p in HISTORIES}
    devices = {("device", v) for v in ("v1", "v2", "v3", "v4", "v5")}
    assert versions == devices | {("wakeup", "v1")} and len(HISTORIES) == 10


async def test_a_run_with_payment_commands_replays_and_carries_the_patch(stack, db):
    """The new path is deterministic too: a whole enable + payment command run replays from its history."""
    from domain.permissions import Permission
    from tests.dcm.helpers import add, dcm_unit
    from tests.utils.factories import auth_headers

    product, unit = dcm_unit(db)
    imei = product.product_imei
    await stack.http.put(f"/v1/products/{imei}/enable", headers=auth_headers(db, Permission.TECHNICAL))
    assert (
        await add(stack, auth_headers(db, Permission.ADMIN), imei, "payment", 10, "p1")
    ).status_code == 201
    await unit.connect(stack.http)
    await unit.connect(stack.http)
    handle = stack.client.get_workflow_handle(f"device/{imei}")
    await handle.result()
    history = await handle.fetch_history()
    patches = [
        e.marker_recorded_event_attributes
        for e in history.events
        if e.HasField("marker_recorded_event_attributes")
    ]
    assert any(
        m.marker_name == "core_patch"
        and b"device-payment-commands-and-software-updates" in m.SerializeToString()
        for m in patches
    )
    replayer = sandboxed_replayer()
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
