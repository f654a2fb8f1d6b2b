"""Response shapes shared by every action endpoint."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ActionResponse(BaseModel):
    """The doc's action envelope: `{"status": "success", "message": ..., "data": ...}`."""

    status: str = "success"
    message: Any
    data: Any = None
