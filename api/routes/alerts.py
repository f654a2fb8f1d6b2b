"""`PUT /v1/alerts/<alert_id>/dismiss`, as the doc's custom endpoint (the alert table itself is generic)."""

from __future__ import annotations

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ClockDep, ScopeDep, SessionDep, TechnicalUser
from api.schemas import ActionResponse
from domain.alerts import dismiss_alert

router = APIRouter(prefix="/alerts", tags=["alerts"])


class DismissBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dismissal_reason: str | None = Field(None, max_length=255)
    extra_info: str | None = Field(None, max_length=255)
    repair_id: int | None = None


@router.put("/{alert_id}/dismiss", response_model=ActionResponse)
def dismiss(
    alert_id: int,
    session: SessionDep,
    user: TechnicalUser,
    scope: ScopeDep,
    clock: ClockDep,
    body: DismissBody | None = Body(None),
) -> ActionResponse:
    """Dismiss an alert; subscribers of product-alert receive the updated alert."""
    body = body or DismissBody()
    dismiss_alert(
        session,
        scope,
        alert_id,
        user=user.username,
        now=clock(),
        dismissal_reason=body.dismissal_reason,
        extra_info=body.extra_info,
        repair_id=body.repair_id,
    )
    return ActionResponse(message=f"Alert #{alert_id} has been dismissed", data=None)
