"""duban/kpi/TRANSLATIONS.txt gives a Chinese text for every message of the KPI app."""

from pathlib import Path

from duban.core import translations

KPI = Path(__file__).resolve().parents[1]


def kpi_msgids():
    found = set()
    for path in translations.source_files():
        if KPI in path.parents:
            messages = translations.python_messages(path) if path.suffix == ".py" else translations.template_messages(path)
            found |= {m["msgid"] for m in messages}
    return found


def pairs():
    lines = (KPI / "TRANSLATIONS.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))


def test_every_message_has_a_translation():
    assert sorted(kpi_msgids() - set(pairs())) == []


def test_no_translation_is_left_over_or_empty():
    known = pairs()
    assert sorted(set(known) - kpi_msgids()) == []
    assert [msgid for msgid, text in known.items() if not text.strip()] == []


def test_placeholders_are_kept():
    import re

    for msgid, text in pairs().items():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", text)), msgid
