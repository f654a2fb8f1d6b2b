"""`PUT /v1/alerts/<alert_id>/dismiss`, as the doc's custom endpoint (the alert table itself is generic)."""

from __future__ import annotations

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from api.deps import ClockDep, ScopeDep, SessionDep, TechnicalUser
from api.schemas.envelope import Done
from domain.alerts import dismiss_alert

router = APIRouter(prefix="/alerts", tags=["alerts"])


class DismissBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dismissal_reason: StrictStr | None = Field(None, max_length=255)
    extra_info: StrictStr | None = Field(None, max_length=255)
    repair_id: StrictInt | None = Field(None, ge=1, le=2**31 - 1)


@router.put("/{alert_id}/dismiss", response_model=Done)
def dismiss(
    alert_id: int,
    session: SessionDep,
    user: TechnicalUser,
    scope: ScopeDep,
    clock: ClockDep,
    body: DismissBody | None = Body(None),
) -> Done:
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
    return Done(message=f"Alert #{alert_id} has been dismissed")
