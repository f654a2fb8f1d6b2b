"""One error hierarchy for the whole service. The API turns each into the doc's error envelope."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A failure the caller can act on: `message` for people, `status_code` for HTTP."""

    status_code = 400
    status = "error"

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        validation_errors: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.validation_errors = validation_errors or {}
        self.data = data or {}


class BadRequest(AppError):
    status_code = 400


class ValidationFailed(AppError):
    """Input that does not follow the rules; `validation_errors` says which field and why."""

    status_code = 400
    status = "validation-error"


class Unauthorized(AppError):
    status_code = 401


class Forbidden(AppError):
    status_code = 403


class NotFound(AppError):
    status_code = 404


class MethodNotAllowed(AppError):
    status_code = 405


class Conflict(AppError):
    status_code = 409


class Unavailable(AppError):
    """A part we depend on (the database, the workflow engine, the broker) cannot be reached: retry later."""

    status_code = 503
