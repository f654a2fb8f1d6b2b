"""`/app/` is served by the API itself: the page, its modules, and its words from the Babel catalogs."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from api.routes.technician_app import STATIC_DIR
from core.settings import ROOT


def app_msgids() -> set[str]:
    """Every msgid the app's modules mark with _() or N_() (what `pybabel extract` finds there)."""
    found = extract_from_dir(STATIC_DIR, method_map=[("js/**.js", "javascript")], keywords=DEFAULT_KEYWORDS)
    return {message for _f, _l, message, _c, _ctx in found if isinstance(message, str)}


@pytest.fixture
def http(shared_app):
    from fastapi.testclient import TestClient

    with TestClient(shared_app) as client:
        yield client


def test_the_page_loads_only_from_this_origin(http):
    page = http.get("/app/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert http.get("/app", follow_redirects=False).headers["location"] == "/app/"
    modules = sorted(p.name for p in (STATIC_DIR / "js").glob("*.js"))
    assert "app.js" in modules
    for name in modules:
        served = http.get(f"/app/static/js/{name}")
        assert served.status_code == 200 and "javascript" in served.headers["content-type"], name
    # No CDN, no font or script from elsewhere: no absolute URL anywhere in the app's files.
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            assert not re.search(r"https?://|//cdn", path.read_text()), path


def test_every_word_of_the_app_has_a_french_translation(http):
    msgids = app_msgids()
    assert {"Log in", "Undo the last step", "This value is required."} <= msgids
    french = http.get("/app/messages/fr.json").json()
    assert french["language"] == "fr"
    untranslated = sorted(m for m in msgids if not french["messages"].get(m))
    assert untranslated == [], (
        "translate them in locale/fr/LC_MESSAGES/messages.po (pybabel extract -F locale/babel.cfg "
        "-o locale/messages.pot --no-location --sort-output . && pybabel update -i locale/messages.pot -d locale)"
    )
    assert french["messages"]["Log in"] == "Se connecter"
    # The repair screens' own text comes from the same catalog.
    assert french["messages"]["Replace PCB"] == "Remplacer le PCB"


def test_messages_of_an_unknown_language_are_a_clear_404(http):
    response = http.get("/app/messages/de.json")
    assert response.status_code == 404
    assert response.json()["status"] == "error" and "en, fr" in response.json()["message"]
    assert http.get("/app/messages/en.json").json()["language"] == "en"


def test_the_app_is_in_the_babel_config():
    assert "[javascript: api/app_static/js/**.js]" in (ROOT / "locale" / "babel.cfg").read_text()
