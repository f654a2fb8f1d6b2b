"""`/v1/auth/*`: the login form (or JSON) and its answer, with the token shown once."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from api.schemas.envelope import Envelope


class Credentials(BaseModel):
    """The doc posts form fields; the same two fields may come as a JSON object."""

    model_config = ConfigDict(extra="ignore")

    username: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    password: Annotated[StrictStr, Field(min_length=1, max_length=1024)]


CREDENTIALS_SCHEMA: dict[str, Any] = Credentials.model_json_schema()
# Both bodies the route reads, for the OpenAPI document (it reads the body itself to take either).
LOGIN_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": CREDENTIALS_SCHEMA},
            "application/json": {"schema": CREDENTIALS_SCHEMA},
        },
    }
}


class LoginDetails(BaseModel):
    username: str
    entity_id: int | None
    display_name: str | None
    name: str
    user_product_visibility: str
    hub_id: int | None
    shop_id: int | None
    API_token: str = Field(description="Send as `Authorization: Token token=<API_token>`")
    token_expiry: str = Field(
        description="RFC 1123, as the doc writes it; the token expires this long after its last use",
        examples=["Mon, 01 Aug 2016 17:05:11 GMT"],
    )
    permissions: str


class LoginSucceeded(BaseModel):
    login_successful: LoginDetails


class LoginAnswer(BaseModel):
    """The doc's login answer: the user and the token under `message`, no `data`."""

    status: Literal["success"] = "success"
    message: LoginSucceeded


# validate_user and validate_user_and_password: "True" or "False", as the doc shows them.
Checked = Envelope[Literal["True", "False"]]
