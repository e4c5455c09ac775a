"""Every message of the progress app has its Chinese in TRANSLATIONS.txt, with the same placeholders."""

import re
from pathlib import Path

from duban.core import translations

APP = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)\d*[sd]")


def app_messages():
    found = {}
    for path in translations.source_files():
        if APP not in path.parents:
            continue
        messages = translations.python_messages(path) if path.suffix == ".py" else translations.template_messages(path)
        for message in messages:
            found.setdefault(message["msgid"], message)
    return found


def pairs():
    result = {}
    for line in (APP / "TRANSLATIONS.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            msgid, text = line.split("\t", 1)
            result[msgid] = text
    return result


def test_every_message_is_translated_with_its_placeholders():
    messages, chinese = app_messages(), pairs()
    assert len(messages) > 200
    missing = sorted(set(messages) - set(chinese))
    assert not missing, "add to duban/progress/TRANSLATIONS.txt:\n" + "\n".join(missing)
    stale = sorted(set(chinese) - set(messages))
    assert not stale, "no longer in the code:\n" + "\n".join(stale)
    for msgid, message in messages.items():
        source = message.get("msgid_plural", msgid)
        assert set(PLACEHOLDER.findall(chinese[msgid])) == set(PLACEHOLDER.findall(source)), msgid
