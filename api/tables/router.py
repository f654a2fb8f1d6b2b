"""The generic table router: for each table the spec gives an endpoint, the doc's collection GET,
item GET, POST, PUT and DELETE, each behind the permission level the spec sets for its method.

Methods the spec marks null get no route; Starlette then answers 405 (in the error envelope)
because the path exists. Integer keys use Starlette's `int` convertor, so action routes under the
same prefix (`/repairs/list_current_states`) never reach an item route.

About 320 routes come out of here, and FastAPI builds a validator for every declared parameter of
every route again for each app. So the key and the list's query parameters are read from the
request (Starlette's convertor already made the key an int) and documented through `openapi_extra`,
responses are documented inline rather than as `response_model`s (we serialize them ourselves);
only the permission, the session and the typed body go through FastAPI's parameter machinery.
"""

import inspect
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from api.deps import (
    AdminUser,
    FactoryUser,
    OverviewUser,
    SessionDep,
    SystemUser,
    TechnicalUser,
    autocommit_in_thread,
)
from api.tables.query import parse_q, search
from api.tables.registry import ACTION_WRITES, TableEndpoint, table_endpoints
from api.tables.schemas import table_schemas
from api.tables.serialize import serializer_for
from core.settings import get_settings
from domain.errors import ValidationFailed
from domain.permissions import Permission
from domain.scope import UnitScope
from domain.tables import service
from domain.tables.columns import is_int, table_info

PERMITTED_USER = {
    Permission.OVERVIEW: OverviewUser,
    Permission.TECHNICAL: TechnicalUser,
    Permission.ADMIN: AdminUser,
    Permission.FACTORY: FactoryUser,
    Permission.SYSTEM: SystemUser,
}
DEFAULT_RESULTS_PER_PAGE = 10
Q_HELP = (
    'Flask-Restless 0.17 query, a JSON object: {"filters": [{"name", "op", "val"} | {"name", "op", "field"} '
    '| {"or": [...]} | {"and": [...]}], "order_by": [{"field", "direction"}], "group_by": [{"field"}], '
    '"limit", "offset", "single"}'
)
LIST_PARAMETERS = [
    {"name": "q", "in": "query", "required": False, "description": Q_HELP, "schema": {"type": "string"}},
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "results_per_page",
        "in": "query",
        "required": False,
        "description": "Rows per page: default 10, at most 1000 (larger values are clamped)",
        "schema": {"type": "integer", "default": DEFAULT_RESULTS_PER_PAGE},
    },
]


def _param(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def _endpoint(func: Callable[..., Any], name: str, params: list[inspect.Parameter]) -> Callable[..., Any]:
    """Give `func` the signature FastAPI reads (this table's permission and body model)."""
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    func.__name__ = name
    return func


def _documented(
    *shapes: dict[str, Any], status: int = 200, description: str = "Success", parameters: list | None = None
) -> dict[str, Any]:
    schema = shapes[0] if len(shapes) == 1 else {"anyOf": list(shapes)}
    extra: dict[str, Any] = {
        "responses": {
            str(status): {"description": description, "content": {"application/json": {"schema": schema}}}
        }
    }
    if parameters:
        extra["parameters"] = parameters
    return extra


def _int_query(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed(
            f"'{name}' must be an integer", validation_errors={name: "Input should be a valid integer"}
        ) from None


def page_params(request: Request) -> tuple[int, int]:
    """`page` (from 1) and `results_per_page` (default 10, clamped to the setting), as Flask-Restless reads them."""
    page = _int_query(request, "page", 1)
    if page < 1:
        raise ValidationFailed("'page' must be 1 or more", validation_errors={"page": "Must be 1 or more"})
    per_page = _int_query(request, "results_per_page", DEFAULT_RESULTS_PER_PAGE)
    if per_page <= 0:  # as Flask-Restless: a non-positive size means the default
        per_page = DEFAULT_RESULTS_PER_PAGE
    return page, min(per_page, get_settings().max_results_per_page)


def _page(session, model, scope: UnitScope, q, page: int, per_page: int) -> JSONResponse:
    return JSONResponse(search(session, model, scope, q, page=page, results_per_page=per_page))


def _row(session, model, key, scope: UnitScope) -> JSONResponse:
    return JSONResponse(serializer_for(model).from_object(service.get_row(session, model, key, scope)))


def add_table_routes(router: APIRouter, endpoint: TableEndpoint) -> None:
    """Add the routes of one table endpoint to `router`."""
    model = endpoint.model
    info = table_info(model)
    schemas = table_schemas(model)
    serialize = serializer_for(model)
    table, collection, pk = info.name, endpoint.path, info.pk_key
    item = f"{collection}/{{{pk}:int}}" if is_int(info.pk) else f"{collection}/{{{pk}}}"
    key_parameter = {
        "name": pk,
        "in": "path",
        "required": True,
        "description": f"The {pk} of the {table}",
        "schema": {"type": "integer" if is_int(info.pk) else "string"},
    }
    # The same table at two paths (rtc_dead_letter) needs distinct operation names.
    slug = collection.strip("/").replace("/", "_")
    request = _param("request", Request)
    session = _param("session", SessionDep)
    row_schema = schemas.row_json_schema()
    served_elsewhere = ACTION_WRITES.get(table, frozenset())

    def route(path: str, method: str, func: Callable, params: list[inspect.Parameter], **kwargs: Any) -> None:
        level = endpoint.permissions[method]
        user = _param("user", PERMITTED_USER[level])
        suffix = "" if path == collection else "_item"
        router.add_api_route(
            path,
            _endpoint(func, f"{method.lower()}_{slug}{suffix}", [user, *params]),
            methods=[method],
            tags=[table],
            summary=f"{method} {table} ({level.name} and above)",
            **kwargs,
        )

    if endpoint.permissions["GET"]:
        # Reads: async, their statements in one thread hop and in autocommit (the request then ends
        # with no commit to send); the answer is encoded in that hop too.
        async def list_rows(*, user, request: Request, session) -> JSONResponse:
            page, per_page = page_params(request)
            q = parse_q(request.query_params.get("q"))
            return await autocommit_in_thread(
                session, _page, model, UnitScope.for_user(user), q, page, per_page
            )

        async def get_row(*, user, request: Request, session) -> JSONResponse:
            key, scope = request.path_params[pk], UnitScope.for_user(user)
            return await autocommit_in_thread(session, _row, model, key, scope)

        page_or_row = (schemas.page_json_schema(), row_schema)
        route(
            collection,
            "GET",
            list_rows,
            [request, session],
            description=f"Search {table} rows. With `single` in `q`, the bare object is returned.",
            openapi_extra=_documented(*page_or_row, parameters=LIST_PARAMETERS),
        )
        route(
            item,
            "GET",
            get_row,
            [request, session],
            openapi_extra=_documented(row_schema, parameters=[key_parameter]),
        )

    if endpoint.permissions["POST"] and "POST" not in served_elsewhere:

        def create_row(*, user, session, body) -> JSONResponse:
            values = body.model_dump(exclude_unset=True)
            row = service.create_row(session, model, values, UnitScope.for_user(user))
            return JSONResponse(serialize.from_object(row), status_code=201)

        route(
            collection,
            "POST",
            create_row,
            [session, _param("body", Annotated[schemas.create, Body()])],
            status_code=201,
            openapi_extra=_documented(row_schema, status=201, description="Created"),
        )

    if endpoint.permissions["PUT"] and "PUT" not in served_elsewhere:

        def update_row(*, user, request: Request, session, body) -> JSONResponse:
            values = body.model_dump(exclude_unset=True)
            row = service.update_row(
                session, model, request.path_params[pk], values, UnitScope.for_user(user)
            )
            return JSONResponse(serialize.from_object(row))

        route(
            item,
            "PUT",
            update_row,
            [request, session, _param("body", Annotated[schemas.update, Body()])],
            openapi_extra=_documented(row_schema, parameters=[key_parameter]),
        )

    if endpoint.permissions["DELETE"]:

        def delete_row(*, user, request: Request, session) -> Response:
            service.delete_row(session, model, request.path_params[pk], UnitScope.for_user(user))
            return Response(status_code=204)

        route(
            item,
            "DELETE",
            delete_row,
            [request, session],
            status_code=204,
            response_class=Response,
            openapi_extra={"parameters": [key_parameter]},
        )


@lru_cache(maxsize=1)
def build_router() -> APIRouter:
    """One router with the routes of every table endpoint in the spec. Built once per process:
    the routes hold no per-app state."""
    router = APIRouter()
    for endpoint in table_endpoints():
        add_table_routes(router, endpoint)
    return router
