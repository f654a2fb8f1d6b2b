"""What a technician does on the app's screens, as Playwright steps (shared by the browser tests)."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Page, expect

from api.i18n import Translator

PASSWORD = "secret-password"  # tests.utils.factories.make_user's default


class Technician:
    """A person at the phone: reads labels in their language and uses the controls they show."""

    def __init__(self, page: Page, phone, language: str = "en") -> None:
        self.page = page
        self.phone = phone
        self.tr = Translator(language)

    def _(self, msgid: str, **params: Any) -> str:
        text = self.tr.gettext(msgid)
        return text % params if params else text

    async def log_in(self, username: str) -> None:
        await self.page.goto("/app/")
        await expect(self.page.get_by_role("heading", name=self._("Technician log in"))).to_be_visible()
        await self.page.get_by_label(self._("Username")).fill(username)
        await self.page.get_by_label(self._("Password")).fill(PASSWORD)
        await self.page.get_by_role("button", name=self._("Log in")).click()
        await expect(self.page.get_by_role("heading", name=self._("Find a unit"))).to_be_visible()

    async def open_unit(self, imei_or_serial: str) -> None:
        await self.page.get_by_label(self._("IMEI or serial number")).fill(imei_or_serial)
        await self.page.get_by_role("button", name=self._("Open the repair")).click()

    async def expect_screen(self, name_msgid: str) -> None:
        await expect(self.page.get_by_role("heading", level=1)).to_have_text(self._(name_msgid))

    def field(self, ident: str):
        return self.page.locator(f'[data-ident="{ident}"].field')

    async def fill(self, ident: str, value: Any) -> None:
        """Enter `value` the way the field asks: type it, pick it, or tick the options labelled so."""
        field = self.field(ident)
        if await field.locator("input[type=radio], input[type=checkbox]").count():
            for label in value if isinstance(value, list) else [value]:
                await field.get_by_label(label, exact=True).check()
        elif await field.locator("select[data-ident]").count():
            await field.locator("select[data-ident]").select_option(str(value))
        else:
            await field.locator(f'[data-ident="{ident}"]').fill(str(value))

    async def send(self) -> None:
        await self.page.get_by_role("button", name=self._("Send"), exact=True).click()

    async def event(self, label_msgid: str) -> None:
        await self.page.get_by_role("button", name=self._(label_msgid)).click()

    async def expect_field_error(self, ident: str, text: str) -> None:
        error = self.field(ident).locator(f'[data-error-for="{ident}"]')
        await expect(error).to_have_text(text)
        control = self.field(ident).locator(f'[data-ident="{ident}"]').first
        await expect(control).to_have_attribute("aria-invalid", "true")

    async def check_screen(self, label: str) -> None:
        """Phone-sized (nothing wider than the screen), every control labelled, then a screenshot."""
        width = await self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{label}: the page is {width}px wide"
        unlabelled = await self.page.evaluate(UNLABELLED_CONTROLS)
        assert unlabelled == [], f"{label}: controls without a label: {unlabelled}"
        await self.phone.screenshot(self.page, re.sub(r"\W+", "-", label))


# Every control a person can use has an accessible name: a <label>, aria-label(ledby), or its text.
UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => !el.closest('[hidden]'))
  .filter(el => !((el.labels && el.labels.length) || el.getAttribute('aria-label')
                 || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
  .map(el => el.outerHTML.slice(0, 80))"""
