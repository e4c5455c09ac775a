"""Traffic lights: the rule, its SQL form, and counts per unit, leader and area."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from duban.calendar.lights import (
    Light, annotate_measure_lights, annotate_milestone_lights, light, measure_light, measure_light_counts,
    milestone_light, milestone_light_counts,
)
from duban.plans.models import Measure, Milestone, Plan

from .conftest import d
from duban.conftest import HOME

pytestmark = pytest.mark.django_db

TODAY = d("2026-11-25")  # a Wednesday


class TestRule:
    def test_done_on_time_and_late(self):
        assert light(d("2026-11-20"), d("2026-11-20"), TODAY) == Light.DONE
        assert light(d("2026-11-20"), d("2026-11-21"), TODAY) == Light.DONE_LATE
        assert light(None, d("2026-11-21"), TODAY) == Light.DONE

    def test_red_only_after_the_deadline(self):
        assert light(d("2026-11-24"), None, TODAY) == Light.RED
        assert light(TODAY, None, TODAY) == Light.YELLOW

    def test_yellow_within_five_working_days(self):
        # Working days after Wednesday 25 November: 26, 27, 30 November, 1, 2 December.
        assert light(d("2026-12-02"), None, TODAY) == Light.YELLOW
        assert light(d("2026-12-03"), None, TODAY) == Light.GREEN
        # A deadline on the weekend after the fifth working day is still within it.
        assert light(d("2026-11-29"), None, TODAY) == Light.YELLOW

    def test_the_threshold_counts_working_days_not_calendar_days(self):
        # On 30 September 2025, 9 October is nine calendar days away but the
        # first working day (1–8 October are the National Day holiday); Saturday
        # 11 October, an adjusted working day, is the third.
        assert light(d("2025-10-09"), None, d("2025-09-30"), warning_workdays=1) == Light.YELLOW
        assert light(d("2025-10-09"), None, d("2025-09-30"), warning_workdays=0) == Light.GREEN
        assert light(d("2025-10-11"), None, d("2025-09-30"), warning_workdays=3) == Light.YELLOW
        assert light(d("2025-10-11"), None, d("2025-09-30"), warning_workdays=2) == Light.GREEN

    def test_no_deadline_is_green(self):
        assert light(None, None, TODAY) == Light.GREEN

    def test_badges_say_what_they_mean(self):
        with translation.override("zh-hans"):
            html = render_to_string("calendar/_light.html", {"light": Light.RED})
            assert "红灯" in html and "逾期" in html
            assert "light--red" in html and "■" in html
            html = render_to_string("calendar/_light.html", {"light": Light.YELLOW, "count": 3})
            assert "黄灯" in html and "<strong class=\"light__count\">3</strong>" in html


class TestMeasures:
    def test_each_measure(self, plan_2026):
        p = plan_2026
        assert measure_light(p["overdue"], TODAY) == Light.RED
        assert measure_light(p["this_week"], TODAY) == Light.YELLOW
        assert measure_light(p["soon"], TODAY) == Light.GREEN
        assert measure_light(p["later"], TODAY) == Light.GREEN
        assert measure_light(p["done"], TODAY) == Light.DONE
        assert measure_light(p["done_late"], TODAY) == Light.DONE_LATE
        assert milestone_light(p["milestone"], TODAY) == Light.YELLOW

    def test_the_plans_threshold_applies(self, plan_2026):
        plan_2026["plan"].warning_workdays = 10
        plan_2026["plan"].save()
        soon = Measure.objects.get(pk=plan_2026["soon"].pk)
        assert measure_light(soon, TODAY) == Light.YELLOW

    def test_sql_agrees_with_the_rule(self, plan_2026, units):
        # A second plan with another threshold, so the CASE has two yellow branches.
        other = Plan.objects.create(region_id=HOME, year=2026, title="另一方案", warning_workdays=10)
        area = plan_2026["areas"]["credit"]
        for i, deadline in enumerate(["2026-11-25", "2026-12-08", "2026-12-10", "2026-12-09", None]):
            Measure.objects.create(plan=other, area=area, text=f"x{i}", deadline=d(deadline) if deadline else None)
        for today in (TODAY, d("2026-09-30"), d("2026-12-28")):
            annotated = annotate_measure_lights(Measure.objects.select_related("plan"), today)
            for m in annotated:
                assert Light(m.light) == measure_light(m, today), (m.text, today)
            for s in annotate_milestone_lights(Milestone.objects.select_related("measure__plan"), today):
                assert Light(s.light) == milestone_light(s, today)


class TestCounts:
    def test_per_unit(self, plan_2026, units):
        counts = measure_light_counts("unit", today=TODAY)
        scjg = counts[units["scjg"].pk]
        assert (scjg[Light.RED], scjg[Light.YELLOW], scjg[Light.GREEN], scjg[Light.DONE], scjg[Light.DONE_LATE]) == (
            1, 1, 2, 1, 1
        )
        assert scjg.total == 6
        assert dict(counts[units["tax"].pk]) == {Light.RED: 1}
        assert scjg.rows()[0] == (Light.RED, 1)

    def test_per_leader(self, plan_2026):
        counts = measure_light_counts("leader", today=TODAY)
        assert counts[plan_2026["leader"].pk].total == 6
        assert dict(counts[None]) == {Light.RED: 1}  # 纳税 has no chief

    def test_per_area(self, plan_2026):
        counts = measure_light_counts("area", today=TODAY)
        assert counts[plan_2026["areas"]["tax"].pk][Light.RED] == 1
        assert counts[plan_2026["areas"]["credit"].pk][Light.YELLOW] == 1

    def test_a_measure_with_two_lead_units_counts_once_for_each(self, plan_2026, units):
        from duban.plans.models import MeasureLeadUnit

        MeasureLeadUnit.objects.create(measure=plan_2026["tax_overdue"], unit=units["scjg"], position=1)
        assert measure_light_counts("unit", today=TODAY)[units["scjg"].pk][Light.RED] == 2
        assert measure_light_counts("area", today=TODAY)[plan_2026["areas"]["tax"].pk][Light.RED] == 1

    def test_milestones(self, plan_2026, units):
        assert dict(milestone_light_counts("unit", today=TODAY)[units["scjg"].pk]) == {Light.YELLOW: 1}
        assert milestone_light_counts("leader", today=TODAY)[plan_2026["leader"].pk].total == 1
        assert milestone_light_counts("area", today=TODAY)[plan_2026["areas"]["credit"].pk].total == 1

    def test_a_subset(self, plan_2026, units):
        counts = measure_light_counts("unit", Measure.objects.filter(completed_on__isnull=True), today=TODAY)
        assert counts[units["scjg"].pk].total == 4
