"""The FastAPI application: `/v1` routers, error envelope, and the Temporal client it talks to."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from api.errors import install_error_handlers
from api.input_guard import InputGuard
from api.openapi import install_openapi
from api.routes import (
    alerts,
    auth,
    channels,
    dcm,
    factory,
    fleet,
    home,
    lifecycle,
    parameters,
    products,
    repairs,
    rtc,
    sms,
    software,
    telemetry,
    units,
    webhook_deliveries,
)
from api.routes.technician_app import install_technician_app
from api.routing import index_by_segment, split_by_segment
from api.tables.router import build_router as build_table_router
from api.webhook_dispatch import install_webhook_dispatch
from core.settings import get_settings
from domain.webhooks.hooks import install_session_hooks

V1 = "/v1"


def create_app() -> FastAPI:
    get_settings().check_sms_receipt_key()  # refuse to serve with a real gateway and the source's key
    # Swagger UI and ReDoc from the package's own assets: /docs works with no internet.
    app = FastAPIOffline(
        title="SMARTSolar API",
        version="1.0",
        description="Pay-as-you-go solar units, driven by durable Temporal workflows.",
    )
    install_error_handlers(app)
    install_session_hooks()
    v1 = APIRouter(prefix=V1)
    # Each router rejects paths of other first segments at once (api/routing.py: FastAPI tries routes one by one).
    v1.include_router(index_by_segment(home.router, V1))
    v1.include_router(index_by_segment(auth.router, V1))
    v1.include_router(index_by_segment(products.router, V1))
    v1.include_router(index_by_segment(units.router, V1))
    v1.include_router(index_by_segment(sms.router, V1))
    v1.include_router(index_by_segment(channels.router, V1))
    v1.include_router(index_by_segment(webhook_deliveries.router, V1))
    v1.include_router(index_by_segment(alerts.router, V1))
    v1.include_router(index_by_segment(repairs.router, V1))
    v1.include_router(index_by_segment(dcm.router, V1))
    v1.include_router(index_by_segment(software.router, V1))
    v1.include_router(index_by_segment(telemetry.router, V1))
    v1.include_router(index_by_segment(factory.router, V1))
    v1.include_router(index_by_segment(lifecycle.router, V1))
    v1.include_router(index_by_segment(fleet.router, V1))
    v1.include_router(index_by_segment(rtc.router, V1))
    v1.include_router(index_by_segment(parameters.router, V1))
    # The generic table routes: keep them LAST, after every action router, so action routes under the
    # same prefixes (/v1/products/locations, /v1/repairs/list_current_states) match first.
    v1.include_router(split_by_segment(build_table_router(), V1))
    app.include_router(v1)
    install_webhook_dispatch(app)
    install_technician_app(app)  # the technician's web app at /app/
    app.add_middleware(InputGuard)
    install_openapi(app)
    return app
