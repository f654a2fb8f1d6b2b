"""A worker restart mid-repair: a new worker picks the repair up where it was, state and undo intact."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid

import httpx
from sqlalchemy import func, select
from temporalio.worker import Worker

from activities.repair import RepairActivities
from core.settings import get_settings
from db.models.repair import Repair, RepairWorkflowEvent
from tests.utils.repair_data import RepairApi, technician, unit_in_repair
from workflows.repair import RepairWorkflow


def repair_worker(client, task_queue: str, executor) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RepairWorkflow],
        activities=RepairActivities().all(),
        activity_executor=executor,
    )


async def test_a_new_worker_carries_on_where_the_old_one_stopped(local_env, app, db, monkeypatch):
    task_queue = f"repair-restart-{uuid.uuid4()}"
    monkeypatch.setattr(get_settings(), "task_queue", task_queue)
    app.state.temporal_client = local_env.client
    unit = unit_in_repair(db)
    _, headers = technician(db)
    c = unit.catalog

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as executor:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http:
            api = RepairApi(http, headers)
            async with repair_worker(local_env.client, task_queue, executor):
                repair_id = await api.open(unit.imei)
                await api.step(
                    repair_id,
                    "inputs",
                    {"arrival_date": "2024-05-01", "symptoms": [c.symptom_id("no_light")]},
                )
                await api.step(repair_id, "inputs", {"usb_diag_result": "pcb_fault", "battery_voltage": 11.0})
            # The worker is gone. The technician submits anyway: the Update waits for a worker.
            pending = asyncio.ensure_future(
                api.send_inputs(
                    repair_id, {"replacement_part_type": c.id("tiger6"), "new_pcb_serial": "PCB-RESTART-1"}
                )
            )
            await asyncio.sleep(1.0)
            assert not pending.done()
            async with repair_worker(local_env.client, task_queue, executor):
                response = await pending
                assert response.status_code == 200, response.text
                assert await api.ident(repair_id) == "usb_diag_test"
                history = (await api.history(repair_id)).json()["data"]
                assert [h["ident"] for h in history] == [
                    "ss_state_check",
                    "usb_diag_test",
                    "replace_pcb",
                    "usb_diag_test",
                ]
                # The undo stack survived too: back across the restart, to replace_pcb.
                undone = await api.undo(repair_id, {"state": "usb_diag_test"})
                assert undone.status_code == 200, undone.text
                assert await api.ident(repair_id) == "replace_pcb"
                await api.step(
                    repair_id,
                    "inputs",
                    {"replacement_part_type": c.id("tiger7"), "new_pcb_serial": "PCB-RESTART-2"},
                )
                await api.step(repair_id, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.5})
                assert await api.ident(repair_id) == "battery_test"

    db.expire_all()
    repair = db.get(Repair, repair_id)
    events = db.scalar(
        select(func.count())
        .select_from(RepairWorkflowEvent)
        .where(RepairWorkflowEvent.repair_id == repair_id)
    )
    assert (repair.workflow_state_id, events) == ("battery_test", 6)  # 5 steps + 1 undo, each recorded once
