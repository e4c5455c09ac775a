"""The app's zh-Hans catalog: every message translated, and the committed files current."""

import polib
from django.utils import translation

from duban.calendar import catalog
from duban.calendar.lights import Light


def entries(po):
    return {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po if e.msgid}


def test_every_message_in_the_code_has_its_chinese():
    assert catalog.missing() == []


def test_translations_lists_no_message_the_code_lost():
    assert set(catalog.pairs()) == set(catalog.messages())


def test_the_committed_catalog_is_current():
    built = entries(catalog.catalog())
    assert entries(polib.pofile(str(catalog.PO_PATH))) == built
    assert entries(polib.mofile(str(catalog.PO_PATH.with_suffix(".mo")))) == built


def test_lights_read_in_chinese():
    with translation.override("zh-hans"):
        assert [str(light.label) for light in Light] == [
            "按期完成", "逾期完成", "绿灯：正常推进", "黄灯：临近期限", "红灯：逾期未完成",
        ]
