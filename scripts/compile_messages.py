"""Compile the translation catalogues (``.po`` to ``.mo``) with polib, so no GNU gettext is needed.

Run ``make messages`` after editing ``src/carbonpeak/web/locale/*/LC_MESSAGES/django.po`` or an app's own
catalogue (``src/carbonpeak/web/<app>/locale/*/LC_MESSAGES/django.po``); commit both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

WEB = Path(__file__).resolve().parent.parent / "src" / "carbonpeak" / "web"


def main() -> int:
    """Compile every catalogue; fail on untranslated or fuzzy entries."""
    problems = 0
    catalogues = [*WEB.glob("locale/*/LC_MESSAGES/django.po"), *WEB.glob("*/locale/*/LC_MESSAGES/django.po")]
    for po_path in sorted(catalogues):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not entry.translated():
                print(f"{po_path}:{entry.linenum}: untranslated or fuzzy: {entry.msgid!r}", file=sys.stderr)
                problems += 1
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.with_suffix('.mo')} ({len(catalogue)} entries)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
