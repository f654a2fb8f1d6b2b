"""Every msgid of the flows (and their messages) is extracted, and translated into French."""

from __future__ import annotations

import re
from configparser import ConfigParser

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from api.i18n import LOCALE_DIR, Translator, catalog_paths
from repair_flows import FLOWS

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def extracted_msgids() -> set[str]:
    """What `pybabel extract -F locale/babel.cfg` finds in the source now."""
    config = ConfigParser()
    config.read(LOCALE_DIR / "babel.cfg")
    # "[python: repair_flows/**.py]" -> ("repair_flows/**.py", "python"); the app's are "javascript".
    method_map = [
        (pattern.strip(), method.strip())
        for method, pattern in (section.split(":", 1) for section in config.sections())
    ]
    found = extract_from_dir(LOCALE_DIR.parent, method_map=method_map, keywords=DEFAULT_KEYWORDS)
    return {message for _filename, _lineno, message, _comments, _context in found if isinstance(message, str)}


def catalog(path):
    with path.open("rb") as source:
        return read_po(source)


def flow_strings() -> set[str]:
    strings = set()
    for flow in FLOWS.values():
        strings.add(flow.title)
        for state in flow.states.values():
            strings |= {state.name, state.description}
            for spec in state.inputs:
                strings.add(spec.label)
                strings |= {option.label for option in spec.options}
            strings |= {event.label for event in state.events}
    return strings


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    return extracted_msgids()


def test_every_string_a_flow_shows_is_marked_for_translation(msgids):
    assert flow_strings() - msgids == set()


def test_the_template_is_up_to_date(msgids):
    template = {m.id for m in catalog(LOCALE_DIR / "messages.pot") if m.id}
    assert msgids == template, (
        "run: pybabel extract -F locale/babel.cfg -o locale/messages.pot --no-location --sort-output ."
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_catalog_holds_every_msgid(msgids, language):
    po, _ = catalog_paths(language)
    assert msgids - {m.id for m in catalog(po) if m.id} == set(), (
        "run: pybabel update -i locale/messages.pot -d locale"
    )


def test_every_msgid_has_a_french_translation_with_the_same_placeholders(msgids):
    po, _ = catalog_paths("fr")
    french = {m.id: m for m in catalog(po) if m.id}
    for msgid in sorted(msgids):
        message = french[msgid]
        assert message.string, f"no French for {msgid!r}"
        assert not message.fuzzy, f"fuzzy French for {msgid!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_the_docs_french_screen_is_reproduced():
    tr = Translator("fr")
    replace_pcb = FLOWS["control_unit_repair"].state("replace_pcb")
    assert tr.gettext(replace_pcb.name) == "Remplacer le PCB"
    assert tr.gettext(replace_pcb.inputs[0].label) == "Choisissez l'un de ces PCB de remplacement"
    assert tr.gettext(replace_pcb.description).startswith("Le gabarit de test indique que cette unité")
