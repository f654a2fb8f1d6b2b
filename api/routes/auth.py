"""`/v1/auth/*`: log in for a token, and the SYSTEM checks of usernames and passwords."""

from __future__ import annotations

import json
from datetime import UTC
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import select

from api.deps import ClockDep, SessionDep, SystemUser, client_address
from api.schemas.auth import LOGIN_REQUEST_BODY, Checked, Credentials, LoginAnswer
from db.models.user import User
from domain.attempts import failed_attempts
from domain.errors import ValidationFailed
from domain.users import check_password, login

router = APIRouter(prefix="/auth", tags=["auth"])


async def _fields(request: Request) -> Any:
    """The doc posts form fields; JSON clients are common too. Accept both."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            return json.loads(await request.body() or b"{}")
        except ValueError:
            raise ValidationFailed("The body is not valid JSON") from None
    return dict(await request.form())


async def _credentials(request: Request) -> Credentials:
    fields = await _fields(request)
    if not isinstance(fields, dict):
        raise ValidationFailed("The body must be a JSON object")
    missing = {k: "This field is required" for k in ("username", "password") if not fields.get(k)}
    if missing:
        raise ValidationFailed("username and password are required", validation_errors=missing)
    try:
        return Credentials.model_validate(fields)
    except ValidationError as err:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in err.errors()]) from err


@router.post("/login", response_model=LoginAnswer, openapi_extra=LOGIN_REQUEST_BODY)
async def login_route(request: Request, session: SessionDep, clock: ClockDep) -> LoginAnswer:
    credentials = await _credentials(request)
    username = credentials.username
    with failed_attempts().limiting("login", username=username, address=client_address(request)):
        user, token, expires_at = login(session, username, credentials.password, clock())
    return LoginAnswer.model_validate(
        {
            "message": {
                "login_successful": {
                    "username": user.username,
                    "entity_id": user.entity_id,
                    "display_name": user.display_name,
                    "name": user.name or "",
                    "user_product_visibility": user.user_product_visibility,
                    "hub_id": user.hub_id,
                    "shop_id": user.shop_id,
                    "API_token": token,
                    "token_expiry": format_datetime(expires_at.replace(tzinfo=UTC), usegmt=True),
                    "permissions": user.permissions,
                }
            },
        }
    )


@router.get("/validate_user", response_model=Checked)
def validate_user(
    session: SessionDep, _user: SystemUser, username: Annotated[str, Query(min_length=1)]
) -> Checked:
    exists = session.scalar(select(User.user_id).where(User.username == username)) is not None
    return Checked(message=f"Successfully checked the username {username}", data=str(exists))


@router.get("/validate_user_and_password", response_model=Checked)
def validate_user_and_password(
    session: SessionDep,
    _user: SystemUser,
    username: Annotated[str, Query(min_length=1)],
    password: Annotated[str, Query()],
) -> Checked:
    valid = check_password(session, username, password) is not None
    return Checked(
        message=f"Successfully checked the username {username} with it's password", data=str(valid)
    )
