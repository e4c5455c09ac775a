"""The calendar's words in zh-Hans, from the project catalog (duban/locale; duban/core/tests/test_translations.py
holds the catalog complete and compiled)."""

from django.utils import translation

from duban.calendar.lights import Light


def test_lights_read_in_chinese():
    with translation.override("zh-hans"):
        assert [str(light.label) for light in Light] == [
            "按期完成", "逾期完成", "绿灯：正常推进", "黄灯：临近期限", "红灯：逾期未完成",
        ]
