"""The review flow as data rules: rounds, drafts, submission, acceptance, return, versions, completion."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from duban.calendar.lights import Light, measure_light
from duban.core.models import Notification
from duban.progress import services
from duban.progress.models import (
    EditConflict, ProgressReport, ReportingRound, ReportVersion, Submission, TransitionError,
)

from .conftest import DUE_ON, upload, write

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class TestOpeningARound:
    def test_every_open_measure_with_a_lead_unit_is_due_a_report(self, round_, ledger):
        measures = set(round_.reports.values_list("measure", flat=True))
        # 1-3 is already completed; every other measure of the plan has lead units.
        assert measures == {ledger.a2_1.pk, ledger.a2_2.pk, ledger.a2_3.pk, ledger.a1_1.pk, ledger.a1_2.pk}
        assert set(round_.reports.values_list("status", flat=True)) == {ProgressReport.Status.DRAFT}

    def test_due_date_counts_working_days_over_qingming(self, round_):
        assert round_.due_on == DUE_ON  # 5 April 2023 was 清明节
        assert not round_.due_provisional
        assert round_.title == "2023-04 bimonthly report"

    def test_a_bimonthly_round_falls_in_an_even_month(self, ledger):
        with pytest.raises(Exception) as excinfo:
            services.open_round(ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 5, 1))
        assert "Bimonthly rounds fall in February" in str(excinfo.value)

    def test_ad_hoc_rounds_need_no_month(self, ledger):
        round_ = services.open_round(ledger.plan, ReportingRound.Kind.AD_HOC, None,
                                     opened_on=datetime.date(2023, 9, 28), due_workdays=2)
        # 29 September to 6 October 2023 were 中秋节/国庆节; 7 and 8 October were worked.
        assert round_.due_on == datetime.date(2023, 10, 8)
        assert round_.period is None

    def test_measures_added_later_get_their_report(self, round_, ledger):
        from duban.plans.tests import factories

        late = factories.measure(ledger.startup, "新增举措", lead=[ledger.scjg], annex=2, number=9)
        assert [r.measure for r in services.add_missing_reports(round_)] == [late]
        assert services.add_missing_reports(round_) == []


class TestDrafting:
    def test_saving_bumps_the_version_and_records_the_editor(self, report, scjg_reporter):
        write(report, scjg_reporter)
        assert report.version == 1 and report.edited_by == scjg_reporter
        assert report.done_text == "已完成系统改造方案。"

    def test_a_save_from_an_older_version_is_a_conflict(self, report, scjg_reporter, zsj_reporter):
        stale = ProgressReport.objects.get(pk=report.pk)
        write(report, zsj_reporter, done_text="政数局：已完成接口联调。")
        with pytest.raises(EditConflict) as excinfo:
            services.save_draft(stale, scjg_reporter, {"done_text": "市场监管局的文字"}, stale.version)
        assert excinfo.value.report.done_text == "政数局：已完成接口联调。"
        assert ProgressReport.objects.get(pk=report.pk).done_text == "政数局：已完成接口联调。"

    def test_completed_means_one_hundred_percent(self, report, scjg_reporter):
        write(report, scjg_reporter, progress="completed", percent=70)
        assert report.percent == 100

    def test_a_submitted_report_cannot_be_edited(self, report, scjg_reporter, scjg_head):
        write(report, scjg_reporter)
        services.submit(report, scjg_head)
        with pytest.raises(TransitionError, match="can no longer be edited"):
            write(report, scjg_reporter)


class TestSubmission:
    def test_what_a_report_needs_before_it_is_submitted(self, report, scjg_head):
        with pytest.raises(TransitionError) as excinfo:
            report.submit(scjg_head)
        assert excinfo.value.messages == ["Say how the measure is progressing."]

    @pytest.mark.parametrize("changes, message", [
        ({"done_text": ""}, "Describe the work done this period."),
        ({"progress": "behind"}, "Give the reason the measure is marked “behind schedule”."),
        ({"progress": "cannot_complete"}, "Give the reason the measure is marked “cannot be completed”."),
        ({"needs_coordination": True}, "Describe the problem that needs district coordination."),
        ({"progress": "completed"}, "A completed measure needs at least one evidence file."),
    ])
    def test_each_rule_has_its_message(self, report, scjg_reporter, scjg_head, changes, message):
        write(report, scjg_reporter, **changes)
        with pytest.raises(TransitionError) as excinfo:
            report.submit(scjg_head)
        assert message in excinfo.value.messages

    def test_submitting_keeps_a_version_and_tells_the_office(self, report, scjg_reporter, scjg_head, office):
        office.email = "office@example.org"
        office.save()
        write(report, scjg_reporter)
        services.add_evidence(report, scjg_reporter, upload())
        version = services.submit(report, scjg_head, now=at(datetime.date(2023, 4, 10)))
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.SUBMITTED
        assert report.first_submitted_on == datetime.date(2023, 4, 10)
        assert version.number == 1 and version.data["done_text"] == "已完成系统改造方案。"
        assert [e["name"] for e in version.data["evidence"]] == ["进展佐证.pdf"]
        note = Notification.objects.get(user=office, fold="progress-submitted")  # counted by the office's summary
        assert note.key == f"progress-submitted:report{report.pk}:v1"
        # Told in the next morning's digest (duban/todo/digest.py), not by an e-mail of its own.
        assert note.digest
        assert not [m for m in mail.outbox if m.to == ["office@example.org"]]


class TestReview:
    @pytest.fixture
    def submitted(self, report, scjg_reporter, scjg_head):
        write(report, scjg_reporter)
        services.submit(report, scjg_head, now=at(datetime.date(2023, 4, 10)))
        return report

    def test_returning_needs_a_comment(self, submitted, office):
        with pytest.raises(TransitionError, match="Say why the report is returned"):
            services.return_for_correction(submitted, office, "  ")

    def test_returned_report_shows_why_and_can_be_resubmitted(self, submitted, office, scjg_reporter, scjg_head):
        services.return_for_correction(submitted, office, "请补充上线时间和佐证材料。")
        submitted.refresh_from_db()
        assert submitted.status == ProgressReport.Status.RETURNED
        assert submitted.review_comment == "请补充上线时间和佐证材料。"
        assert Notification.objects.filter(user__in=[scjg_reporter, scjg_head], key__startswith="progress-returned").count() == 2
        assert submitted.submission() == Submission.RETURNED

        write(submitted, scjg_reporter, done_text="已完成系统改造方案，定于6月20日上线。")
        services.submit(submitted, scjg_head, now=at(datetime.date(2023, 4, 20)))
        submitted.refresh_from_db()
        # Correcting a returned report is not late reporting.
        assert submitted.first_submitted_on == datetime.date(2023, 4, 10)
        assert submitted.submission() == Submission.ON_TIME
        first, second = ReportVersion.objects.filter(report=submitted).order_by("number")
        assert (first.outcome, first.review_comment) == (ProgressReport.Status.RETURNED, "请补充上线时间和佐证材料。")
        assert second.outcome == ProgressReport.Status.SUBMITTED and submitted.review_comment == ""

    def test_only_a_submitted_report_is_reviewed(self, report, office):
        with pytest.raises(TransitionError, match="Only a submitted report can be reviewed"):
            services.accept(report, office)

    def test_accepting_completion_completes_the_measure_and_turns_its_light(
        self, report, scjg_reporter, scjg_head, office, ledger
    ):
        today = datetime.date(2023, 10, 23)
        assert measure_light(ledger.a2_2, today) == Light.YELLOW  # due 30 October
        write(report, scjg_reporter, progress="completed", done_text="已全面推行。")
        services.add_evidence(report, scjg_reporter, upload())
        services.submit(report, scjg_head, now=at(datetime.date(2023, 10, 18)))
        services.accept(report, office, "同意。", now=at(datetime.date(2023, 11, 2)))
        ledger.a2_2.refresh_from_db()
        # Completed when the unit said so, before the deadline, though accepted after it.
        assert ledger.a2_2.completed_on == datetime.date(2023, 10, 18)
        assert measure_light(ledger.a2_2, today) == Light.DONE

    def test_accepting_progress_does_not_complete(self, submitted, office, ledger):
        services.accept(submitted, office)
        ledger.a2_2.refresh_from_db()
        assert ledger.a2_2.completed_on is None


class TestSubmissionStanding:
    def test_late_missing_pending(self, report, scjg_reporter, scjg_head):
        assert report.submission(DUE_ON) == Submission.PENDING
        assert report.submission(DUE_ON + datetime.timedelta(days=1)) == Submission.MISSING
        write(report, scjg_reporter)
        services.submit(report, scjg_head, now=at(datetime.date(2023, 4, 12)))
        assert report.submission() == Submission.LATE

    def test_sql_and_python_agree(self, round_, report, scjg_reporter, scjg_head):
        write(report, scjg_reporter)
        services.submit(report, scjg_head, now=at(DUE_ON))
        for today in (DUE_ON, DUE_ON + datetime.timedelta(days=3)):
            annotated = {r.pk: r.submission for r in round_.reports.with_submission(today)}
            assert annotated == {r.pk: r.submission(today) for r in round_.reports.select_related("round")}


class TestContributions:
    def test_a_cooperating_unit_adds_and_rewrites_its_own(self, report, tax_cooperator):
        services.save_contribution(report, tax_cooperator, "已开通涉税信息共享。")
        services.save_contribution(report, tax_cooperator, "已开通涉税信息共享，日均推送200条。")
        assert [c.text for c in report.contributions.all()] == ["已开通涉税信息共享，日均推送200条。"]

    def test_lead_units_write_the_report_not_contributions(self, report, scjg_reporter):
        with pytest.raises(TransitionError, match="Only the measure's cooperating units"):
            services.save_contribution(report, scjg_reporter, "x")

    def test_the_submitted_version_keeps_them(self, report, tax_cooperator, scjg_reporter, scjg_head):
        services.save_contribution(report, tax_cooperator, "已开通涉税信息共享。")
        write(report, scjg_reporter)
        version = services.submit(report, scjg_head)
        assert version.data["contributions"] == [{"unit": "区税务局", "text": "已开通涉税信息共享。"}]


class TestEvidenceLifecycle:
    def test_a_file_never_submitted_is_deleted(self, report, scjg_reporter, media_root):
        evidence = services.add_evidence(report, scjg_reporter, upload())
        path = evidence.file.path
        services.remove_evidence(evidence, scjg_reporter)
        assert not report.evidence.exists()
        assert not __import__("os").path.exists(path)

    def test_a_submitted_file_is_hidden_but_kept(self, report, scjg_reporter, scjg_head, office):
        evidence = services.add_evidence(report, scjg_reporter, upload())
        write(report, scjg_reporter)
        services.submit(report, scjg_head)
        services.return_for_correction(report, office, "换一份材料。")
        services.remove_evidence(evidence, scjg_reporter)
        evidence.refresh_from_db()
        assert evidence.removed_at is not None and evidence.file.storage.exists(evidence.file.name)
        assert not report.evidence.current().exists()

    def test_stored_under_a_random_name_inside_media_root(self, report, scjg_reporter, media_root):
        evidence = services.add_evidence(report, scjg_reporter, upload("../../etc/passwd.pdf"))
        assert evidence.original_name == "passwd.pdf"
        assert evidence.file.name.startswith("progress/evidence/") and "passwd" not in evidence.file.name
        assert str(media_root) in evidence.file.path


def test_ask_the_unit_head(report, scjg_reporter, scjg_head):
    write(report, scjg_reporter)
    assert [n.user for n in services.request_approval(report, scjg_reporter)] == [scjg_head]
    assert services.request_approval(report, scjg_reporter) == []  # once per version
