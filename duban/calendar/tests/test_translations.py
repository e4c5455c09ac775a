"""The app's zh-Hans catalog is complete and says what TRANSLATIONS.txt says."""

from pathlib import Path

import polib
from django.utils import translation

from duban.calendar.lights import Light

APP = Path(__file__).resolve().parent.parent
PO = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def pairs():
    result = {}
    for line in (APP / "TRANSLATIONS.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            msgid, text = line.split("\t")
            result[msgid] = text
    return result


def test_every_message_is_translated_as_listed():
    listed = pairs()
    catalog = polib.pofile(str(PO))
    assert {entry.msgid for entry in catalog} == set(listed)
    for entry in catalog:
        text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        assert text == listed[entry.msgid], entry.msgid


def test_the_compiled_catalog_is_current():
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in polib.mofile(str(PO.with_suffix(".mo"))) if e.msgid}
    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in polib.pofile(str(PO))}
    assert compiled == source


def test_lights_read_in_chinese():
    with translation.override("zh-hans"):
        assert [str(light.label) for light in Light] == [
            "按期完成", "逾期完成", "绿灯：正常推进", "黄灯：临近期限", "红灯：逾期未完成",
        ]
