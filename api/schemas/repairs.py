"""Repair actions: what a technician sends (strict JSON) and the screens and lists they get back."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

from api.schemas.envelope import Envelope, Sparse
from repair_flows.spec import DataType, SelectionType


def _merge_pairs(body: Any) -> Any:
    # The doc writes its examples as a list of pairs; a list of one-key objects is read as one object.
    if isinstance(body, list) and all(isinstance(item, dict) for item in body):
        merged: dict[str, Any] = {}
        for item in body:
            merged.update(item)
        return merged
    return body


class OrListOfPairs:
    """Documents the doc's list-of-pairs form next to the object it is read as."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        return {"anyOf": [schema, {"type": "array", "items": schema}]}


# What an input may hold; the state's IRT specification then checks it (in the caller's language).
Scalar = StrictBool | StrictInt | StrictFloat | StrictStr | None
InputValue = Scalar | list[Scalar]
InputValues = Annotated[
    dict[Annotated[str, Field(max_length=255)], InputValue],
    BeforeValidator(_merge_pairs),
    OrListOfPairs(),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventSubmission(_Body):
    """send_events: one event ident of the current state."""

    event: Annotated[StrictStr, Field(min_length=1, max_length=255, examples=["battery.charged"])]


class UndoBody(_Body):
    """Optional: the ident of the state the app shows, so a retried undo is not applied twice."""

    state: Annotated[StrictStr, Field(max_length=255)] | None = None


EventBody = Annotated[EventSubmission, BeforeValidator(_merge_pairs), OrListOfPairs()]
UndoBodyIn = Annotated[UndoBody, BeforeValidator(_merge_pairs), OrListOfPairs()]


class RepairOpened(BaseModel):
    repair_id: int
    config: dict[str, int | float] = Field(description="The flow's settings for the unit's product type")


class Option(BaseModel):
    label: str
    value: Any = Field(description="What send_inputs takes for this option")


class InputView(Sparse):
    """An IRT input specification; `validation_rules`, `selection_type` and `options` only when they apply."""

    ident: str
    label: str
    data_type: DataType
    required: bool
    validation_rules: dict[str, Any] | None = None
    selection_type: SelectionType | None = None
    options: list[Option] | None = None


class EventView(BaseModel):
    ident: str
    label: str


class StateView(BaseModel):
    """The doc's current_state data, plus `finished`, `can_undo` and why Undo would be refused now."""

    ident: str
    name: str
    description: str
    inputs: list[InputView]
    events: list[EventView]
    finished: bool
    can_undo: bool
    undo_refusal: str | None


class StateRef(BaseModel):
    ident: str
    name: str


class CurrentRepair(BaseModel):
    created_by: str | None
    product_imei: str
    repair_id: int
    repair_state_id: str
    repair_state_name: str


class Undone(BaseModel):
    """The state the repair is back in."""

    ident: str


RepairFound = Envelope[RepairOpened]
StateFound = Envelope[StateView]
StatePath = Envelope[list[StateRef]]
CurrentRepairs = Envelope[list[CurrentRepair]]
StepUndone = Envelope[Undone]
