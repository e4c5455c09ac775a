"""Apps that keep their Chinese in a TRANSLATIONS.txt ("msgid<TAB>中文" a line) keep it complete.

The project catalog (duban/locale) is filled from these files with `python tools/i18n.py apply FILE`; a
message added to one of these apps without its line here fails the test, naming the file to add it to.
"""

from pathlib import Path

import pytest

from duban.core import translations

from .test_translations import placeholders

PACKAGE = Path(translations.__file__).resolve().parents[1]
# The apps whose TRANSLATIONS.txt lists every message of the app (with at least this many messages, so a
# broken extractor cannot pass by finding nothing).
COMPLETE = {"hotline": 400, "progress": 200, "kpi": 50}


@pytest.mark.parametrize("app", sorted(COMPLETE))
def test_every_message_of_the_app_is_listed_once_with_its_placeholders(app):
    folder = PACKAGE / app
    messages, chinese = translations.app_messages(folder), translations.read_pairs(folder / "TRANSLATIONS.txt")
    assert len(messages) > COMPLETE[app]
    missing = sorted(set(messages) - set(chinese))
    assert not missing, f"add to duban/{app}/TRANSLATIONS.txt:\n" + "\n".join(missing)
    stale = sorted(set(chinese) - set(messages))
    assert not stale, f"in duban/{app}/TRANSLATIONS.txt but no longer in the code:\n" + "\n".join(stale)
    assert [msgid for msgid, text in chinese.items() if not text.strip()] == []
    wrong = [msgid for msgid, message in messages.items()
             if placeholders(chinese[msgid]) != placeholders(message.get("msgid_plural", msgid))]
    assert not wrong, "placeholders differ from the msgid's:\n" + "\n".join(wrong)
