"""Languages: `Accept-Language` negotiation and gettext lookups in the Babel catalogs of `locale/`.

English msgids live in the code (marked `N_`); `locale/<lang>/LC_MESSAGES/messages.po` translate them.
`make run` / `make test` compile the `.mo` files; a process that finds a catalog not compiled (or
older than its `.po`) compiles it in memory rather than silently answering in English.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from fastapi import Depends, Request

from core.settings import ROOT
from repair_flows.i18n import Message

log = logging.getLogger(__name__)

LOCALE_DIR = ROOT / "locale"
DOMAIN = "messages"
SUPPORTED = ("en", "fr")
DEFAULT = "en"


def negotiate(header: str | None) -> str:
    """The supported language the client prefers most (q-values, region tags like fr-FR), else English."""
    best, best_q = DEFAULT, 0.0
    for item in (header or "").split(","):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        language = tag.strip().lower().replace("_", "-").split("-")[0]
        if language == "*":
            language = DEFAULT
        # Equal q: the earlier one wins (strictly greater replaces).
        if language in SUPPORTED and q > best_q:
            best, best_q = language, q
    return best


def catalog_paths(language: str, directory: Path | None = None) -> tuple[Path, Path]:
    folder = (directory or LOCALE_DIR) / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_catalogs(directory: Path | None = None) -> list[Path]:
    """Write `messages.mo` next to every `messages.po` (what `pybabel compile -d locale` does)."""
    written = []
    for language in SUPPORTED:
        po, mo = catalog_paths(language, directory)
        with po.open("rb") as source:
            catalog = read_po(source, locale=language)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo)
    return written


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    po, mo = catalog_paths(language)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    log.warning("%s is not compiled (run `make` or `pybabel compile -d locale`); compiling it in memory", po)
    buffer = io.BytesIO()
    with po.open("rb") as source:
        write_mo(buffer, read_po(source, locale=language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """Text for one request's language: msgids translated, numbers written the local way."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = translations(language)

    def gettext(self, msgid: str) -> str:
        return self._catalog.gettext(msgid) if msgid else msgid

    def render(self, message: Message | Mapping[str, Any]) -> str:
        """`message` (a Message, or its JSON form from a workflow) translated and filled in."""
        if not isinstance(message, Message):
            message = Message.model_validate(message)
        text = self.gettext(message.msgid)
        if not message.params:
            return text
        try:
            return text % {name: self._param(value) for name, value in message.params.items()}
        except (KeyError, TypeError, ValueError):  # a bad translation must not turn a 400 into a 500
            return message.render()

    def _param(self, value: Any) -> str:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, (int, float)):
            return format_decimal(value, locale=self.language)
        if isinstance(value, list):
            return ", ".join(self._param(v) for v in value)
        return self.gettext(value) if isinstance(value, str) else str(value)


async def get_translator(request: Request) -> Translator:  # async: no thread hop for a header read
    return Translator(negotiate(request.headers.get("Accept-Language")))


TranslatorDep = Annotated[Translator, Depends(get_translator)]
