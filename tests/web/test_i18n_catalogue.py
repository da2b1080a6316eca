"""The Chinese catalogue is complete and its compiled .mo matches the .po."""

import gettext
from pathlib import Path

import polib

import carbonpeak.web

WEB = Path(carbonpeak.web.__file__).parent
LOCALE = WEB / "locale" / "zh_Hans" / "LC_MESSAGES"
APP_CATALOGUES = sorted(WEB.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
"""Catalogues of apps that keep their own (``web/<app>/locale``), beside the platform's."""


def test_every_message_is_translated():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []
    assert len(catalogue) > 40
    for path in APP_CATALOGUES:
        app = polib.pofile(str(path))
        assert [e.msgid for e in app if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)] == []


def test_app_catalogues_are_compiled():
    for path in APP_CATALOGUES:
        with path.with_suffix(".mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in polib.pofile(str(path)):
            if not entry.msgid_plural:
                assert compiled.gettext(entry.msgid) == entry.msgstr, f"run 'make messages' ({path})"


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue:
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 3) == entry.msgstr_plural[0]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, f"run 'make messages' ({entry.msgid!r})"


def test_templates_use_no_untranslated_strings():
    """Every {% translate %} string in the templates is in the catalogue (a forgotten makemessages)."""
    import re

    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "django.po"))}
    for path in APP_CATALOGUES:
        catalogue |= {e.msgid for e in polib.pofile(str(path))}
    web = WEB
    pattern = re.compile(r"""{% (?:translate|trans) (?:"([^"]+)"|'([^']+)')""")
    used = {
        double or single
        for path in web.rglob("*.html")
        for double, single in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "no translatable strings found"
    assert sorted(used - catalogue) == []
