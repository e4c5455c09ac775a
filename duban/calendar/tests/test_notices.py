"""Parsing and importing the State Council's holiday notice."""

import datetime
from pathlib import Path

import pytest
from chinese_calendar import constants
from django.utils import translation

from duban.calendar.models import Holiday, Notice
from duban.calendar.notices import NoticeError, import_notice, parse_notice
from duban.calendar.workdays import is_provisional, is_workday

from .conftest import d

DATA = Path(__file__).parent / "data"


def read(name):
    return (DATA / name).read_text(encoding="utf-8")


def chinesecalendar_days(year):
    return (
        {day for day in constants.holidays if day.year == year},
        {day for day in constants.workdays if day.year == year},
    )


def parsed_days(parsed):
    days = parsed.days()
    return {d for d, kind, *_ in days if kind == "holiday"}, {d for d, kind, *_ in days if kind == "workday"}


@pytest.mark.parametrize(
    "name, year",
    [("notice-2025.txt", 2025), ("notice-2026.txt", 2026), ("notice-2026-repost-traditional.txt", 2026)],
)
def test_real_notices_give_exactly_chinesecalendars_dates(name, year):
    parsed = parse_notice(read(name))
    assert parsed.year == year
    assert parsed_days(parsed) == chinesecalendar_days(year)


def test_notice_metadata():
    parsed = parse_notice(read("notice-2026.txt"))
    assert parsed.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert parsed.published_on == d("2025-11-04")
    assert [item.name for item in parsed.items] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]


def test_traditional_repost_normalises_names_and_title():
    parsed = parse_notice(read("notice-2026-repost-traditional.txt"))
    assert parsed.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert parsed.items[1].name == "春节"
    assert parsed.items[1].worked == [d("2026-02-14"), d("2026-02-28")]  # from the wrapped line


def test_2025_festival_items():
    items = {item.name: item for item in parse_notice(read("notice-2025.txt")).items}
    assert items["元旦"].days_off == [d("2025-01-01")]
    assert items["元旦"].worked == []
    # A span across the end of a month, lunar dates in the brackets.
    assert items["春节"].days_off == [d("2025-01-28") + datetime.timedelta(i) for i in range(8)]
    assert items["春节"].worked == [d("2025-01-26"), d("2025-02-08")]
    assert items["端午节"].days_off == [d("2025-05-31"), d("2025-06-01"), d("2025-06-02")]
    # 国庆节 and 中秋节 in one item.
    assert items["国庆节、中秋节"].days_off[0] == d("2025-10-01")
    assert items["国庆节、中秋节"].days_off[-1] == d("2025-10-08")
    assert items["国庆节、中秋节"].worked == [d("2025-09-28"), d("2025-10-11")]


def test_full_width_everything_and_mixed_punctuation():
    text = (
        "国务院办公厅关于２０２６年部分节假日安排的通知\n"
        "一、元旦:1月1日(周四)至3日（周六）放假调休，共３天。1月4日(周日)上班.\n"
        "二、清明节：４月４日（周六）至６日（周一）放假,共3天。\n"
    )
    items = parse_notice(text).items
    assert items[0].days_off == [d("2026-01-01"), d("2026-01-02"), d("2026-01-03")]
    assert items[0].worked == [d("2026-01-04")]
    assert items[1].days_off == [d("2026-04-04"), d("2026-04-05"), d("2026-04-06")]


def test_single_day_forms():
    text = "关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）放假，共1天。\n"
    assert parse_notice(text).items[0].days_off == [d("2026-01-01")]


def test_new_year_starting_in_december_belongs_to_the_year_before():
    text = (
        "国务院办公厅关于2012年部分节假日安排的通知\n"
        "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。\n"
    )
    item = parse_notice(text).items[0]
    assert item.days_off == [d("2012-01-01"), d("2012-01-02"), d("2012-01-03")]
    assert item.worked == [d("2011-12-31")]
    text = "关于2015年部分节假日安排的通知\n一、元旦：12月31日（周三）至1月3日（周六）放假，共4天。\n"
    assert parse_notice(text).items[0].days_off[0] == d("2014-12-31")


def test_year_from_the_option_when_the_title_is_missing():
    text = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。\n"
    assert parse_notice(text, year=2026).year == 2026


class TestErrorsNameTheLine:
    def error(self, text, **kwargs):
        with pytest.raises(NoticeError) as caught:
            parse_notice(text, **kwargs)
        return caught.value

    def test_wrong_weekday(self):
        error = self.error("关于2026年部分节假日安排的通知\n\n一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。\n")
        assert error.line == 3
        assert "2026-01-01" in error.message and "周四" in error.message and "周五" in error.message

    def test_wrong_total(self):
        error = self.error("关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。\n")
        assert error.line == 2
        assert "4" in error.message and "3" in error.message

    def test_worked_day_on_a_weekday(self):
        error = self.error("关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假，共3天。1月5日（周一）上班。\n")
        assert error.line == 2
        assert "2026-01-05" in error.message

    def test_impossible_date(self):
        error = self.error("关于2026年部分节假日安排的通知\n一、春节：2月30日放假，共1天。\n")
        assert error.line == 2 and "2月30日" in error.message

    def test_the_same_date_twice(self):
        error = self.error(
            "关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假，共3天。\n二、春节：1月3日放假，共1天。\n"
        )
        assert error.line == 3

    def test_no_items(self):
        error = self.error("关于2026年部分节假日安排的通知\n请各单位妥善安排。\n")
        assert "一、元旦" in error.message

    def test_no_year(self):
        error = self.error("一、元旦：1月1日放假，共1天。\n")
        assert error.line == 1 and "--year" in error.message

    def test_a_sentence_that_is_neither(self):
        error = self.error("关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假。1月4日照常。\n")
        assert error.line == 2

    def test_title_and_option_disagree(self):
        assert self.error("关于2026年部分节假日安排的通知\n", year=2027).line == 1

    def test_the_message_names_the_line(self):
        text = "关于2026年部分节假日安排的通知\n一、元旦：1月1日（周五）放假，共1天。\n"
        with translation.override("en"):
            assert str(self.error(text)) == "line 2: 2026-01-01 is a 周四, but the notice says 周五."
        with translation.override("zh-hans"):
            assert str(self.error(text)) == "第2行：2026-01-01是周四，但通知写的是周五。"


@pytest.mark.django_db
class TestImport:
    def test_import_replaces_the_seeded_year(self):
        seeded = Notice.objects.get(region="CN", year=2026)
        result = import_notice(read("notice-2026.txt"), source="notice-2026.txt")
        assert result.replaced
        assert (result.holidays, result.workdays) == (33, 6)
        assert not Notice.objects.filter(pk=seeded.pk).exists()
        notice = Notice.objects.get(region="CN", year=2026)
        assert notice.published_on == d("2025-11-04")
        assert notice.source == "notice-2026.txt"
        assert Holiday.objects.get(region="CN", date=d("2026-10-10")).kind == Holiday.Kind.WORKDAY
        assert Holiday.objects.get(region="CN", date=d("2026-10-10")).name == "国庆节"

    def test_importing_2027_ends_the_provisional_calendar(self, django_capture_on_commit_callbacks):
        assert is_provisional(d("2027-02-09"))
        assert not is_workday(d("2027-02-09"))  # 春节（补假） in the fallback
        text = (
            "国务院办公厅关于2027年部分节假日安排的通知\n"
            "一、春节：2月5日（农历除夕、周五）至2月11日（周四）放假调休，共7天。2月20日（周六）上班。\n"
        )
        with django_capture_on_commit_callbacks(execute=True):
            import_notice(text)
        assert not is_provisional(d("2027-02-09"))
        assert is_workday(d("2027-02-20"))
        assert not is_workday(d("2027-02-11"))
        # The fallback's guesses are gone: only the notice counts now.
        assert is_workday(d("2027-05-03"))

    def test_a_bad_file_changes_nothing(self):
        before = list(Holiday.objects.filter(notice__year=2026).values_list("date", "kind"))
        with pytest.raises(NoticeError):
            import_notice("关于2026年部分节假日安排的通知\n一、元旦：1月1日（周五）放假，共1天。\n")
        assert list(Holiday.objects.filter(notice__year=2026).values_list("date", "kind")) == before

    def test_a_date_owned_by_another_year_is_refused_and_rolled_back(self):
        # A 2027 notice that claims 31 December 2026 as a day off, which the 2026 schedule does not have,
        # is fine; one that claims 1 January 2026 (already 2026's) is not.
        text = "关于2027年部分节假日安排的通知\n一、元旦：2026年1月1日放假，共1天。\n"
        with pytest.raises(NoticeError) as caught:
            import_notice(text)
        assert caught.value.line == 2
        assert "2026" in caught.value.message
        assert not Notice.objects.filter(year=2027).exists()
