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
from api.tables.router import build_router as build_table_router
from api.webhook_dispatch import install_webhook_dispatch
from core.settings import get_settings
from domain.webhooks.hooks import install_session_hooks


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
    v1 = APIRouter(prefix="/v1")
    v1.include_router(home.router)
    v1.include_router(auth.router)
    v1.include_router(products.router)
    v1.include_router(units.router)
    v1.include_router(sms.router)
    v1.include_router(channels.router)
    v1.include_router(webhook_deliveries.router)
    v1.include_router(alerts.router)
    v1.include_router(repairs.router)
    v1.include_router(dcm.router)
    v1.include_router(software.router)
    v1.include_router(telemetry.router)
    v1.include_router(factory.router)
    v1.include_router(lifecycle.router)
    v1.include_router(fleet.router)
    v1.include_router(rtc.router)
    v1.include_router(parameters.router)
    # The generic table routes: keep them LAST, after every action router, so action routes under the
    # same prefixes (/v1/products/locations, /v1/repairs/list_current_states) match first.
    v1.include_router(build_table_router())
    app.include_router(v1)
    install_webhook_dispatch(app)
    install_technician_app(app)  # the technician's web app at /app/
    app.add_middleware(InputGuard)
    install_openapi(app)
    return app
