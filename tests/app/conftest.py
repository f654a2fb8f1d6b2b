"""One Chromium and one HTTP server for every browser test of the session; a fresh phone-sized
context (and so a fresh sessionStorage) per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, async_playwright

from tests.utils.browser import ARTIFACTS, CHROMIUM_ARGS, PHONE, AppServer, ensure_chromium


@pytest.fixture(scope="session")
async def app_server(shared_app) -> AsyncIterator[AppServer]:
    server = AppServer(shared_app)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = ensure_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class Phone:
    """A technician's phone: one browser context at 390 x 844 in a given language."""

    def __init__(self, context: BrowserContext, base_url: str, name: str) -> None:
        self.context = context
        self.base_url = base_url
        self.name = name
        self.foreign_requests: list[str] = []
        self.shots = 0

    async def screenshot(self, page, label: str) -> None:
        """Kept under var/test-artifacts/app/<test>/ (git-ignored), numbered in order."""
        folder = ARTIFACTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        await page.screenshot(path=str(folder / f"{self.shots:02d}-{label}.png"), full_page=True)


@pytest.fixture
async def phone(browser, app_server, request) -> AsyncIterator[Phone]:
    locale = getattr(request, "param", "en-GB")
    context = await browser.new_context(
        viewport=PHONE, locale=locale, extra_http_headers={}, base_url=app_server.url, has_touch=True
    )
    context.set_default_timeout(20_000)
    phone = Phone(context, app_server.url, request.node.name.replace("[", "-").rstrip("]"))
    # Nothing may come from anywhere but the API itself (no CDN, no internet at run time).
    context.on(
        "request",
        lambda r: None if r.url.startswith(app_server.url) else phone.foreign_requests.append(r.url),
    )
    try:
        yield phone
    finally:
        await context.close()
    assert phone.foreign_requests == []
