"""The FastAPI application: `/v1` routers, error envelope, and the Temporal client it talks to."""
from __future__ import annotations

from fastapi import APIRouter, FastAPI

from api.errors import install_error_handlers
from api.routes import auth, home


def create_app() -> FastAPI:
    app = FastAPI(
        title="SMARTSolar API",
        version="1.0",
        description="Pay-as-you-go solar units, driven by durable Temporal workflows.",
    )
    install_error_handlers(app)
    v1 = APIRouter(prefix="/v1")
    v1.include_router(home.router)
    v1.include_router(auth.router)
    app.include_router(v1)
    return app
