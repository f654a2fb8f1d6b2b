"""The OpenAPI document says what the API answers: the error envelope on the codes a route can send.

FastAPI documents a 422 on every route with parameters, which this API never sends (validation errors
are 400s in the doc's envelope, see `api.errors`), and nothing of the 400/401/403/404/409/503 that it
does send. The codes each operation can answer follow from what the route depends on: a token or a
unit's credentials (401, 403), path parameters (404), a body (409 for writes and deletes, 413), and the
database behind every route (503); the few codes no dependency shows are listed by route. The input gate refuses bad text on every route (400).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

ERROR_DESCRIPTIONS = {
    400: "Bad input: the envelope's `validation_errors` names each field",
    401: "No valid token (or unit credentials)",
    403: "The user's permission level is too low for this route",
    404: "The resource does not exist, or is not visible to the user's entity",
    409: "Conflicts with what is stored (a duplicate, or a state that does not allow it)",
    413: "The body is too large",
    429: "Too many failed attempts: retry after the `Retry-After` seconds",
    503: "The database, the workflow engine or the broker cannot be reached; retrying is safe",
}
RATE_LIMITED_PATHS = ("/v1/auth/login", "/v1/rc_data", "/v1/rm_data")
WRITE_METHODS = {"POST", "PUT", "PATCH"}
# A row still referred to by others cannot be deleted (409), like a write that conflicts.
CONFLICT_METHODS = WRITE_METHODS | {"DELETE"}
# What no dependency shows: a route's own credential, or a row its body names (not its path).
EXTRA_ERROR_CODES: dict[tuple[str, str], set[int]] = {
    ("POST", "/v1/auth/login"): {401},  # a wrong username or password
    ("POST", "/v1/sms/receipts"): {401, 404},  # the gateway's key header; an unknown message reference
    ("POST", "/v1/parameters"): {404},  # the unit or parameter type the body names
    ("POST", "/v1/part_parameters"): {404},  # the part or parameter type the body names
}


# The documentation pages load from the API itself only: ReDoc's bundle would otherwise fetch its
# vendor's logo from a CDN (no option turns that off), which an offline or private network must not see.
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


class DocsPolicy:
    """ASGI middleware: a Content-Security-Policy on the documentation pages, nothing on other paths."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] not in DOCS_PATHS:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"content-security-policy", DOCS_POLICY)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


class ErrorEnvelope(BaseModel):
    """The doc's error answer, whatever went wrong."""

    status: str = Field(description="`validation-error` for bad input, else `error`", examples=["error"])
    message: str
    validation_errors: dict[str, Any] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)


def _calls(dependant: Dependant) -> set[str]:
    names = {getattr(dependant.call, "__name__", "")}
    for sub in dependant.dependencies:
        names |= _calls(sub)
    return names


def error_codes(route: Any) -> list[int]:
    """The error statuses `route` can answer, from its dependencies, path and methods."""
    calls = _calls(route.dependant)
    codes = {400, 503}
    # A token check: the shared one, or a route's that also checks scope in its hop (api/routes/repairs.py).
    if any(name == "get_current_user" or name.startswith("authorized_repair_") for name in calls):
        codes |= {401, 403}
    if "unit_credentials" in calls:
        codes.add(401)
    # Table routes read their key from the path's convertor, not from a declared parameter.
    if route.dependant.path_params or route.param_convertors:
        codes.add(404)
    if route.methods & CONFLICT_METHODS:
        codes.add(409)
    if route.methods & WRITE_METHODS:
        codes.add(413)
    if route.path in RATE_LIMITED_PATHS:
        codes.add(429)
    for method in route.methods:
        codes |= EXTRA_ERROR_CODES.get((method, route.path_format), set())
    return sorted(codes)


def install_openapi(app: FastAPI) -> None:
    """Replace the generated document with one listing each route's real error answers, and no 422;
    keep the documentation pages from loading anything from elsewhere."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorEnvelope"] = ErrorEnvelope.model_json_schema()
        reference = {"$ref": "#/components/schemas/ErrorEnvelope"}
        for context in routing.iter_route_contexts(app.routes):
            route = context if isinstance(context.original_route, APIRoute) else None
            if route is None or not route.include_in_schema:
                continue
            path_item = schema["paths"].get(route.path_format, {})
            for method in route.methods:
                operation = path_item.get(method.lower())
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                for code in error_codes(route):
                    responses.setdefault(
                        str(code),
                        {
                            "description": ERROR_DESCRIPTIONS[code],
                            "content": {"application/json": {"schema": reference}},
                        },
                    )
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(DocsPolicy)
