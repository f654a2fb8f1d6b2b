"""RepairWorkflow alone, on the real dev server, with its activities mocked under their real names."""

from __future__ import annotations

import concurrent.futures
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from contracts.repair import REFUSED, REJECTED, RepairWorkflowInput
from domain.repairs.steps import OptionsRequest, StepCommand
from repair_flows import FLOWS
from repair_flows.i18n import msg
from repair_flows.records import StepOutcome, Submission, UndoRequest
from repair_flows.spec import Option
from workflows.repair import RepairWorkflow

FLOW = FLOWS["control_unit_repair"]
SYMPTOM_OPTIONS = {"symptoms": [Option(value=7, label="Lights do not work")]}


class FakeDatabase:
    """Stands in for the repair activities: records each command, answers like the database would."""

    def __init__(self) -> None:
        self.commands: list[StepCommand] = []
        self.refuse_next: str | None = None
        self.non_transferable_next = False

    def activities(self) -> list:
        @activity.defn(name="repair.load_options")
        def load_options(request: OptionsRequest) -> dict[str, list[Option]]:
            return SYMPTOM_OPTIONS if request.state == FLOW.initial else {}

        @activity.defn(name="repair.apply_step")
        def apply_step(command: StepCommand) -> StepOutcome:
            if self.refuse_next:
                message, self.refuse_next = self.refuse_next, None
                raise ApplicationError(message, type=REFUSED, non_retryable=True)
            self.commands.append(command)
            plan = command.plan
            refusal = (
                msg("The new %(part_type)s is non-transferable", part_type="X")
                if self.non_transferable_next
                else None
            )
            self.non_transferable_next = False
            return StepOutcome(
                history_id=None if plan.kind == "undo" else 100 + plan.seq,
                event_id=plan.seq,
                can_undo=refusal is None,
                undo_refusal=refusal,
                options=SYMPTOM_OPTIONS if plan.dest == FLOW.initial else {},
            )

        return [load_options, apply_step]


@pytest.fixture
async def repair(local_env) -> AsyncIterator[tuple[WorkflowHandle, FakeDatabase]]:
    fake = FakeDatabase()
    task_queue = f"repair-test-{uuid.uuid4()}"
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
        async with Worker(
            local_env.client,
            task_queue=task_queue,
            workflows=[RepairWorkflow],
            activities=fake.activities(),
            activity_executor=executor,
        ):
            handle = await local_env.client.start_workflow(
                RepairWorkflow.run,
                RepairWorkflowInput(
                    repair_id=1,
                    flow_name=FLOW.name,
                    product_imei="000000000000001",
                    config=FLOW.config_for("BB17SMART_v2"),
                ),
                id=f"repair-test/{uuid.uuid4()}",
                task_queue=task_queue,
                static_summary="Repair 1 of unit 000000000000001: Control unit repair",
            )
            await handle.execute_update(RepairWorkflow.ready)
            yield handle, fake


def inputs(payload: dict, key: str | None = None) -> Submission:
    return Submission(kind="inputs", payload=payload, actor="tech@example.com", request_key=key)


def event(ident: str) -> Submission:
    return Submission(kind="event", payload={"event": ident}, actor="tech@example.com")


async def event_types(handle: WorkflowHandle) -> list[int]:
    return [e.event_type async for e in handle.fetch_history_events()]


async def refused(call) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await call
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_refused_updates_leave_the_history_clean(repair):
    handle, fake = repair
    before = await event_types(handle)
    bad = await refused(
        handle.execute_update(RepairWorkflow.send_inputs, inputs({"arrival_date": "yesterday", "zzz": 1}))
    )
    assert bad.type == REJECTED
    errors = bad.details[0]["validation_errors"]
    assert errors["zzz"]["msgid"] == "Unknown input for this step."
    assert errors["arrival_date"]["msgid"].startswith("Must be a date or time")
    wrong_event = await refused(handle.execute_update(RepairWorkflow.send_events, event("battery.charged")))
    assert wrong_event.details[0]["validation_errors"]["event"]["params"] == {"event": "battery.charged"}
    nothing = await refused(handle.execute_update(RepairWorkflow.undo, UndoRequest(actor="t")))
    assert nothing.details[0]["message"]["msgid"] == "There is nothing to undo."
    assert await event_types(handle) == before
    assert fake.commands == []


async def test_each_step_and_undo_reaches_the_activity_as_planned(repair):
    handle, fake = repair
    await handle.execute_update(
        RepairWorkflow.send_inputs, inputs({"arrival_date": "2024-01-01", "symptoms": [7]})
    )
    await handle.execute_update(
        RepairWorkflow.send_inputs, inputs({"usb_diag_result": "pass", "battery_voltage": 4.0})
    )
    await handle.execute_update(RepairWorkflow.send_events, event("battery_test.skipped"))
    receipt = await handle.execute_update(RepairWorkflow.undo, UndoRequest(actor="t"))
    assert receipt.state == "explain_skip_btb"
    plans = [c.plan for c in fake.commands]
    assert [(p.seq, p.kind, p.source, p.dest, p.trigger) for p in plans] == [
        (1, "inputs", "ss_state_check", "usb_diag_test", "inputs"),
        (2, "inputs", "usb_diag_test", "explain_skip_btb", "inputs"),
        (3, "event", "explain_skip_btb", "charge", "battery_test.skipped"),
        (4, "undo", "charge", "explain_skip_btb", "undo"),
    ]
    assert [e.name for e in plans[0].effects] == ["set_repair_field", "record_symptoms"]
    assert plans[3].undo_history_id == 103
    assert {c.actor for c in fake.commands} == {"tech@example.com", "t"}
    history = await handle.query(RepairWorkflow.history)
    assert [h.ident for h in history] == ["ss_state_check", "usb_diag_test", "explain_skip_btb"]


async def test_a_retried_submission_is_applied_once(repair):
    handle, fake = repair
    first = inputs({"arrival_date": "2024-01-01"})
    assert not (await handle.execute_update(RepairWorkflow.send_inputs, first)).duplicate
    assert (await handle.execute_update(RepairWorkflow.send_inputs, first)).duplicate
    keyed = inputs({"usb_diag_result": "pass", "battery_voltage": 12.0}, key="app-req-1")
    await handle.execute_update(RepairWorkflow.send_inputs, keyed, id="same-update-id")
    await handle.execute_update(
        RepairWorkflow.send_inputs, keyed, id="same-update-id"
    )  # Temporal dedups the id
    assert (await handle.execute_update(RepairWorkflow.send_inputs, keyed)).duplicate  # the key, another id
    assert len(fake.commands) == 2
    assert (await handle.query(RepairWorkflow.current_state)).ident == "battery_test"


async def test_undo_refused_where_the_step_cannot_be_reverted(repair):
    handle, fake = repair
    fake.non_transferable_next = True
    await handle.execute_update(RepairWorkflow.send_inputs, inputs({"arrival_date": "2024-01-01"}))
    cause = await refused(handle.execute_update(RepairWorkflow.undo, UndoRequest(actor="t")))
    assert cause.details[0]["message"] == {
        "msgid": "The new %(part_type)s is non-transferable",
        "params": {"part_type": "X"},
    }
    assert (await handle.query(RepairWorkflow.current_state)).ident == "usb_diag_test"


async def test_a_business_refusal_fails_the_update_only(repair):
    handle, fake = repair
    fake.refuse_next = "The part with serial number X is fitted in unit 2"
    cause = await refused(
        handle.execute_update(RepairWorkflow.send_inputs, inputs({"arrival_date": "2024-01-01"}))
    )
    assert cause.details[0]["message"]["msgid"] == "The part with serial number X is fitted in unit 2"
    await handle.execute_update(RepairWorkflow.send_inputs, inputs({"arrival_date": "2024-01-01"}))
    assert (await handle.query(RepairWorkflow.current_state)).ident == "usb_diag_test"
    types = await event_types(handle)
    assert (
        types.count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) == 3
    )  # ready, refused, applied


async def test_operators_read_the_flow_and_state_in_the_summary_and_details(repair):
    handle, _ = repair
    await handle.execute_update(RepairWorkflow.send_inputs, inputs({"arrival_date": "2024-01-01"}))
    description = await handle.describe()
    assert await description.static_summary() == "Repair 1 of unit 000000000000001: Control unit repair"
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert metadata.current_details == (
        "control_unit_repair · repair 1 · state usb_diag_test (USB Diagnostic Test) · "
        "waiting for inputs usb_diag_result, battery_voltage"
    )


async def test_the_outcome_completes_the_workflow(repair):
    handle, _ = repair
    steps = [
        inputs({"arrival_date": "2024-01-01"}),
        inputs({"usb_diag_result": "pass", "battery_voltage": 12.0}),
        inputs({"battery_test_result": "pass"}),
        event("battery.charged"),
        event("unit.cleaned"),
        inputs({"casing_damaged": "no"}),
        inputs({"measured_capacity_mah": 9000}),
        inputs({"refurb_date": "2024-02-01", "final_state_of_charge": 100}),
    ]
    for submission in steps:
        update = RepairWorkflow.send_events if submission.kind == "event" else RepairWorkflow.send_inputs
        await handle.execute_update(update, submission)
    assert await handle.result() == "refurbished"
    view = await handle.query(RepairWorkflow.current_state)  # a closed workflow still answers queries
    assert (view.ident, view.finished, view.inputs) == ("refurbished", True, [])
