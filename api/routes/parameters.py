"""Setting a unit's parameters (and its parts'), the unit's parameter history, and suggest_energy_limit.

`POST /v1/parameters` and `PUT /v1/parameters/<id>` replace the table API's generic writes for that table:
a parameter is asked for (pending) and takes effect when the unit next connects, delivered by the unit's
DeviceWorkflow like an enable or a software update (domain/parameters/store.py). Reads and DELETE stay
with the table API.
"""

from __future__ import annotations

from typing import Annotated, Any

from anyio import from_thread
from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from api.deps import ClockDep, OverviewUser, ScopeDep, SessionDep, SystemUser, TechnicalUser
from api.schemas.envelope import Envelope
from api.schemas.parameters import HistoryFound
from api.schemas.products import EnergyLimitSuggestion
from api.schemas.times import InputDateTime
from api.tables.schemas import table_schemas
from api.tables.serialize import serializer_for
from api.temporal import client_for_app
from clients.device import hand_over
from clients.temporal import WorkflowUnavailable
from db.models.parts import PartParameter
from db.models.software import Parameter
from domain.errors import ValidationFailed
from domain.parameters import energy_limit, store
from domain.parameters.history import History, parameter_history

router = APIRouter(tags=["parameters"])
Imei = Annotated[str, Path(min_length=1, max_length=15)]
Value = Annotated[StrictStr, Field(max_length=255)]


SYSTEM_SET = "Set by the system: a parameter is created pending and settles when the unit applies it"


class _SystemColumns(BaseModel):
    """The doc's example bodies carry these; only their empty values are accepted (see SYSTEM_SET)."""

    model_config = ConfigDict(extra="forbid")

    status: StrictStr | None = None
    date_added: StrictStr | None = None
    date_removed: StrictStr | None = None

    def refuse_system_columns(self) -> None:
        sent = {
            key: SYSTEM_SET
            for key in ("status", "date_added", "date_removed")
            if getattr(self, key) is not None and not (key == "status" and self.status == store.PENDING)
        }
        if sent:
            raise ValidationFailed(f"Cannot set {', '.join(sent)}: {SYSTEM_SET}", validation_errors=sent)


class ParameterCreate(_SystemColumns):
    parameter_type_id: StrictInt
    product_imei: Annotated[StrictStr, Field(min_length=1, max_length=15)]
    value: Value


class PartParameterCreate(_SystemColumns):
    parameter_type_id: StrictInt
    part_id: StrictInt
    value: Value


class ParameterChange(_SystemColumns):
    """PUT of a pending parameter: its new value (type and owner stay; POST for another one)."""

    value: Value


def _tell_workflow(session, request: Request, imei: str, reason: str) -> None:
    """Commit, then make the unit's workflow reload. Temporal is reached only when something was written,
    so a refused or repeated request never depends on it; unreachable, the change is kept (the unit's next
    RC-GET starts the workflow) and the client gets a 503 saying so."""
    try:
        temporal = from_thread.run(client_for_app, request.app)
    except WorkflowUnavailable as err:  # could not connect
        session.commit()
        raise WorkflowUnavailable(
            f"Saved, but the workflow engine could not be reached; it is delivered at the unit's next connection ({err})"
        ) from err
    hand_over(session, temporal, imei, reason)


def _save(session, request: Request, store_: store.Store, outcome: store.Requested) -> dict[str, Any]:
    row = outcome.row
    body = serializer_for(store_.model).from_object(row)
    if outcome.changed:
        imei = store.unit_of(session, store_, store_.owner(row))
        _tell_workflow(session, request, imei, f"parameter {row.parameter_type_id} asked for")
    return body


def _add_writes(collection: str, store_: store.Store, create_body: type[_SystemColumns], what: str) -> None:
    """POST (ask for a value) and PUT of a pending row, for one of the two parameter tables."""
    table = store_.model.__tablename__

    def create(
        body, session: SessionDep, user: SystemUser, scope: ScopeDep, request: Request, clock: ClockDep
    ):
        body.refuse_system_columns()
        owner = getattr(body, store_.owner_key)
        outcome = store.request(session, scope, store_, owner, body.parameter_type_id, body.value, clock())
        return _save(session, request, store_, outcome)

    def change(
        body: ParameterChange,
        session: SessionDep,
        user: SystemUser,
        scope: ScopeDep,
        request: Request,
        clock: ClockDep,
    ):
        body.refuse_system_columns()
        row_id = request.path_params[store_.id_key]
        outcome = store.change_pending(session, scope, store_, row_id, body.value, clock())
        return _save(session, request, store_, outcome)

    create.__annotations__["body"] = create_body  # the body model differs per table
    create.__name__, change.__name__ = f"create_{table}", f"change_{table}"
    key = {"name": store_.id_key, "in": "path", "required": True, "schema": {"type": "integer"}}
    router.add_api_route(
        collection,
        create,
        methods=["POST"],
        status_code=201,
        response_model=table_schemas(store_.model).row,
        summary=f"Set {what} (pending until the unit applies it)",
    )
    router.add_api_route(
        f"{collection}/{{{store_.id_key}:int}}",
        change,
        methods=["PUT"],
        response_model=table_schemas(store_.model).row,
        openapi_extra={"parameters": [key]},
        summary=f"Change a pending {what}'s value (a new pending row replaces it)",
    )


_add_writes("/parameters", store.PRODUCT, ParameterCreate, "a unit's parameter")
_add_writes("/part_parameters", store.PART, PartParameterCreate, "a parameter of a unit's part")


class HistoryQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: InputDateTime | None = None


def _history_data(history: History) -> dict[str, Any]:
    product, part = serializer_for(Parameter), serializer_for(PartParameter)

    def shown(serialize, row) -> dict[str, Any]:
        return {**serialize.from_object(row), **history.shown(row)}

    products = [shown(product, row) for row in history.product]
    for item in products:
        item["product_parameter_id"] = item["parameter_id"]  # the key the doc's example shows
    return {
        "part_parameters": {
            str(part_id): [shown(part, row) for row in rows] for part_id, rows in history.parts.items()
        },
        "product_parameters": products,
    }


@router.get("/products/{imei}/parameters/history", response_model=HistoryFound)
def parameters_history(
    imei: Imei,
    session: SessionDep,
    user: OverviewUser,
    scope: ScopeDep,
    date: Annotated[InputDateTime | None, Query()] = None,
    body: Annotated[HistoryQuery | None, Body()] = None,
) -> HistoryFound:
    at = date if date is not None else (body.date if body else None)
    history = parameter_history(session, scope, imei, at)
    if at is None:
        message = f"Full parameter history for #{imei} returned successfully"
    else:
        message = f"Parameters active on #{imei} at {at.isoformat()} returned successfully"
    return HistoryFound(message=message, data=_history_data(history))


class EnergyLimitRequest(BaseModel):
    """Energy limits are passed in as strings (the doc)."""

    model_config = ConfigDict(extra="forbid")

    energy_limit: Annotated[StrictStr, Field(min_length=1, max_length=32)]


@router.put("/products/{imei}/suggest_energy_limit", response_model=Envelope[EnergyLimitSuggestion])
def suggest_energy_limit(
    imei: Imei,
    body: EnergyLimitRequest,
    session: SessionDep,
    user: TechnicalUser,
    scope: ScopeDep,
    request: Request,
    clock: ClockDep,
) -> Envelope[EnergyLimitSuggestion]:
    suggestion = energy_limit.suggest(session, scope, imei, body.energy_limit, clock())
    if suggestion.changed:
        _tell_workflow(session, request, imei, f"energy_limit {suggestion.applied}")
    how = (
        " (truncated to the energy_limit_cap)"
        if suggestion.truncated
        else (" (bounded)" if suggestion.bounded else "")
    )
    return Envelope[EnergyLimitSuggestion](
        message=f"Energy limit of #{imei} set to {suggestion.applied}{how}: pending until the unit next connects",
        data=suggestion.data(),
    )
