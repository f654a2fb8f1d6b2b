"""Accept-Language negotiation and the gettext lookups behind the repair screens."""

from __future__ import annotations

import os

import pytest

from api import i18n
from api.i18n import Translator, negotiate
from repair_flows.i18n import msg


@pytest.mark.parametrize(
    "header, language",
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("FR_ca", "fr"),
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "fr"),
        ("en;q=0.4, fr;q=0.6", "fr"),
        ("fr;q=0", "en"),
        ("de, es", "en"),
        ("*", "en"),
        ("fr;q=abc", "en"),
        ("", "en"),
        (None, "en"),
        (";;,,", "en"),
    ],
)
def test_negotiate(header, language):
    assert negotiate(header) == language


def test_messages_are_translated_and_their_numbers_written_the_local_way():
    message = msg("Must be at least %(min)s.", min=3.5)
    assert Translator("en").render(message) == "Must be at least 3.5."
    assert Translator("fr").render(message) == "Doit être supérieur ou égal à 3,5."
    options = msg("Must be one of: %(options)s.", options=[50, 75, 100])
    assert Translator("fr").render(options.model_dump()) == "Doit être l'une de ces valeurs : 50, 75, 100."


def test_unknown_text_passes_through_untranslated():
    assert Translator("fr").gettext("LiFePO4 6.4V 10Ah") == "LiFePO4 6.4V 10Ah"


def test_a_catalog_not_compiled_is_compiled_in_memory_rather_than_falling_back_to_english(
    tmp_path, monkeypatch
):
    for language in i18n.SUPPORTED:
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_bytes(i18n.catalog_paths(language)[0].read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert not (tmp_path / "fr" / "LC_MESSAGES" / "messages.mo").exists()
        assert Translator("fr").gettext("Replace PCB") == "Remplacer le PCB"
        written = i18n.compile_catalogs()
        assert all(path.exists() and os.path.getsize(path) > 0 for path in written)
    finally:
        i18n.translations.cache_clear()
