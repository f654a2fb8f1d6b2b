"""The contract of RepairWorkflow (`repair/<repair_id>`): its input, the error types its Updates and
activities fail with, and its activities' names. The Update and query payloads are the flow records of
`repair_flows.records` (Submission, UndoRequest, Receipt, StateView, StateRef)."""

from __future__ import annotations

from pydantic import BaseModel

from repair_flows.records import RepairRun

# ApplicationError.type of a refused Update; its details carry the msgid and per-input errors.
REJECTED = "RepairRejected"
# ApplicationError.type of a business refusal (bad serial, rows changed since): not worth a retry.
REFUSED = "RepairRefused"
# ApplicationError.type of a bug: retrying cannot help, and the technician must not wait on it.
FAILED = "RepairStepFailed"


class RepairActivity:
    """Activity names, as recorded in running workflows' histories: never rename one."""

    APPLY_STEP = "repair.apply_step"
    LOAD_OPTIONS = "repair.load_options"


def repair_workflow_id(repair_id: int) -> str:
    return f"repair/{repair_id}"


class RepairWorkflowInput(BaseModel):
    repair_id: int
    flow_name: str
    product_imei: str
    config: dict
    # Set on continue-as-new: the run carries on where it was.
    resume: RepairRun | None = None
