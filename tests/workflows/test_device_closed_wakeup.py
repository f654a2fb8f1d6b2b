"""A wake-up child that closes before its parent heard of it does not take the device workflow down.

An operator terminating `wakeup/<imei>` in the Web UI is the case one can make happen on purpose; the
other, a child ending at a connection while a second connection is being handled, is a race the fleet
soak hit: its history is recorded in `histories/device_v5_*` and replayed in test_device_replay.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus

from tests.utils.factories import unit_auth
from tests.utils.waiting import eventually
from tests.workflows.test_device_settles_and_closes import enable_waking_unit, running

HISTORIES = Path(__file__).parent / "histories"


async def test_an_enable_settles_after_its_wakeup_was_terminated(stack, db):
    unit = await enable_waking_unit(stack, db)
    imei = unit.product_imei
    await stack.client.get_workflow_handle(f"wakeup/{imei}").terminate(reason="operator")
    await eventually(lambda: _is(running(stack, imei), [f"device/{imei}"]))

    answer = await stack.http.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200 and answer.json()["enable_flag"] is True
    device = stack.client.get_workflow_handle(f"device/{imei}")
    await device.result()
    assert (await device.describe()).status == WorkflowExecutionStatus.COMPLETED
    history = await device.fetch_history()
    signals = [
        e
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED
    ]
    assert signals == []  # the terminated child was forgotten, not signalled


def test_the_recorded_race_shows_a_refused_signal_and_a_completed_run():
    """What the replay of `device_v5_*` proves: the run was refused a signal to its closed child and went
    on to complete, on this code."""
    (path,) = HISTORIES.glob("device_v5_*.json")
    events = json.loads(path.read_text())["events"]
    types = [e["eventType"] for e in events]
    assert "EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED" in types
    assert types[-1] == "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED"


async def _is(ids, expected: list[str]) -> bool:
    return await ids == expected
