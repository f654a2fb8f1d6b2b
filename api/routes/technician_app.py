"""The technician's app at `/app/`: a single page (plain ES modules and CSS, no build step) and its words.

Everything it loads comes from this API (no CDN: the page's Content-Security-Policy allows only this
origin). Its own words are msgids in the same Babel catalogs as the repair screens, served as JSON by
`/app/messages/<lang>.json`, so one French translation covers both.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from babel.messages.pofile import read_po
from fastapi import APIRouter, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.i18n import SUPPORTED, catalog_paths
from domain.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent.parent / "app_static"
# Only this origin: no CDN, no inline script, nothing fetched from elsewhere at run time.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
NO_STORE = {"Cache-Control": "no-cache", "Content-Security-Policy": CSP}

router = APIRouter(tags=["technician app"], include_in_schema=False)


@router.get("/app")
async def app_root() -> RedirectResponse:
    return RedirectResponse("/app/", status_code=307)


@router.get("/app/")
async def app_page() -> FileResponse:
    """The single page; every screen is drawn by `js/app.js` from the API's answers."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers=NO_STORE)


@lru_cache
def catalog_messages(language: str) -> dict[str, str]:
    """msgid -> translation of the language's `.po` catalog (untranslated msgids are left out)."""
    po, _mo = catalog_paths(language)
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


@router.get("/app/messages/{language}.json")
async def app_messages(language: Annotated[str, PathParam(max_length=8)]) -> JSONResponse:
    """The app's words (and the flows') in `language`; the app falls back to the English msgid."""
    if language not in SUPPORTED:
        raise NotFound(f"No messages for language {language!r}; supported: {', '.join(SUPPORTED)}")
    body: dict[str, Any] = {"language": language, "messages": catalog_messages(language)}
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})


def install_technician_app(app: FastAPI) -> None:
    """`/app/` and its assets under `/app/static/` (served by the API itself)."""
    app.include_router(router)
    app.mount("/app/static", StaticFiles(directory=STATIC_DIR), name="app-static")
