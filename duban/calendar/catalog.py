"""The calendar app's own zh-Hans catalog, built from TRANSLATIONS.txt.

    .venv/bin/python -m duban.calendar.catalog

finds every msgid in the app's code and templates (with the project's
extractor, duban.core.translations), takes its Chinese from TRANSLATIONS.txt
(one "msgid<TAB>中文" a line) and writes locale/zh_Hans/LC_MESSAGES/django.po
and .mo. The project-wide catalog in duban/locale comes first when it has the
same msgids; this one makes the pages Chinese until it does.
"""

from pathlib import Path
from typing import Any

import polib

APP = Path(__file__).resolve().parent
TRANSLATIONS = APP / "TRANSLATIONS.txt"
PO_PATH = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def pairs() -> dict[str, str]:
    """{msgid: Chinese} from TRANSLATIONS.txt."""
    from duban.core.translations import read_pairs

    return read_pairs(TRANSLATIONS)


def messages() -> dict[str, dict[str, Any]]:
    """{msgid: message} for every translatable string of the app, in file order."""
    from duban.core.translations import app_messages

    return app_messages(APP)


def missing() -> list[str]:
    """Msgids in the code that TRANSLATIONS.txt does not translate."""
    known = pairs()
    return sorted(msgid for msgid in messages() if msgid not in known)


def catalog() -> polib.POFile:
    known = pairs()
    po = polib.POFile(wrapwidth=0)
    po.header = "The calendar app's zh-Hans messages, built by duban/calendar/catalog.py from TRANSLATIONS.txt."
    po.metadata = {
        "Project-Id-Version": "duban",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, message in messages().items():
        text = known.get(msgid, "")
        if message.get("msgid_plural"):
            po.append(polib.POEntry(msgid=msgid, msgid_plural=message["msgid_plural"], msgstr_plural={0: text}))
        else:
            po.append(polib.POEntry(msgid=msgid, msgstr=text))
    return po


def build() -> polib.POFile:
    po = catalog()
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(PO_PATH))
    po.save_as_mofile(str(PO_PATH.with_suffix(".mo")))
    return po


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    django.setup()
    untranslated = missing()
    build()
    print(f"wrote {PO_PATH.relative_to(APP.parent.parent)} and .mo")
    for msgid in untranslated:
        print(f"untranslated: {msgid!r}")
