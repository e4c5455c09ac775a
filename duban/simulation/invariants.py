"""The domain's rules, checked over whatever data is in the database (simulated or not).

Each check is one query (or a few) so it runs over a province as well as the
demo. check() returns a list of problems in words; an empty list means every
rule holds.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from duban.calendar.workdays import is_workday
from duban.core import clock
from duban.hotline.models import Complaint, Event, Extension, Rectification, Review
from duban.plans.models import MeasureCooperatingUnit, MeasureLeadUnit
from duban.progress.models import Contribution, Evidence, ProgressReport, ReportingRound, ReportVersion, RoundTally
from duban.progress.services import count_tallies

CHECKS = []


def invariant(func):
    CHECKS.append(func)
    return func


def _count(queryset, message):
    n = queryset.count()
    return [f"{n} {message}"] if n else []


def _not_workdays(values, message, local=True):
    days = sorted({timezone.localdate(v) if local else v for v in values if v is not None})
    bad = [d for d in days if not is_workday(d)]
    return [f"{message}: {', '.join(map(str, bad[:5]))}{' …' if len(bad) > 5 else ''}"] if bad else []


@invariant
def reports_by_their_own_units(now):
    """No report on a measure of another unit: the lead unit writes and submits, cooperating units contribute."""
    lead = MeasureLeadUnit.objects.filter(measure=OuterRef("measure"))
    problems = []
    for person in ("submitted_by", "edited_by"):
        problems += _count(
            ProgressReport.objects.filter(**{f"{person}__isnull": False})
            .exclude(Exists(lead.filter(unit=OuterRef(f"{person}__unit")))),
            f"reports {person.replace('_', ' ')} someone outside the measure's lead units")
    problems += _count(
        Contribution.objects.exclude(Exists(MeasureCooperatingUnit.objects.filter(
            measure=OuterRef("report__measure"), unit=OuterRef("unit")))),
        "contributions from a unit that does not cooperate on the measure")
    problems += _count(ProgressReport.objects.exclude(round__plan=F("measure__plan")),
                       "reports in a round of another plan")
    return problems


@invariant
def reports_follow_their_flow(now):
    sent = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED]
    problems = _count(ProgressReport.objects.filter(status__in=sent, first_submitted_on__isnull=True),
                      "submitted reports without a first submission date")
    problems += _count(ProgressReport.objects.filter(status__in=sent).exclude(
        Exists(ReportVersion.objects.filter(report=OuterRef("pk")))), "submitted reports without a version")
    problems += _count(ProgressReport.objects.filter(
        status__in=sent, progress=ProgressReport.Progress.COMPLETED).exclude(
        Exists(Evidence.objects.filter(report=OuterRef("pk")))), "reports of completion without evidence")
    problems += _count(ProgressReport.objects.filter(first_submitted_on__lt=F("round__opened_on")),
                       "reports submitted before their round opened")
    accepted_done = ProgressReport.objects.filter(measure=OuterRef("pk"), status=ProgressReport.Status.ACCEPTED,
                                                  progress=ProgressReport.Progress.COMPLETED)
    from duban.plans.models import Measure

    problems += _count(Measure.objects.filter(completed_on__isnull=False, progress_reports__isnull=False)
                       .exclude(Exists(accepted_done)).distinct(),
                       "measures completed without an accepted report of completion")
    problems += _count(Measure.objects.filter(completed_on__isnull=True).filter(Exists(accepted_done)),
                       "measures with an accepted report of completion but no completion date")
    return problems


@invariant
def tallies_agree_with_reports(now):
    """The office matrix reads RoundTally rows: they must count what the reports say."""
    counted = count_tallies(ReportingRound.objects.values("pk"))
    stored = {(t.round_id, t.area_id, t.unit_id): t.counts() for t in RoundTally.objects.all()}
    wrong = [key for key in counted.keys() | stored.keys() if counted.get(key) != stored.get(key)]
    return [f"{len(wrong)} round tallies disagree with the reports"] if wrong else []


@invariant
def complaints_in_order(now):
    """No complaint contacted, replied or closed before it was received; events in the complaint's lifetime."""
    c = Complaint.objects
    problems = []
    for field in ("contacted_at", "classified_at", "assigned_at", "replied_at", "closed_at"):
        problems += _count(c.filter(**{f"{field}__lt": F("received_at")}), f"complaints {field} before receipt")
    problems += _count(c.filter(classified_at__lt=F("contacted_at")), "complaints classified before contact")
    problems += _count(c.filter(closed_at__lt=F("replied_at")), "complaints closed before their reply")
    problems += _count(c.filter(state=Complaint.State.CLOSED, closed_at__isnull=True), "closed complaints without a time")
    problems += _count(c.filter(~Q(state=Complaint.State.CLOSED), closed_at__isnull=False),
                       "open complaints with a closing time")
    problems += _count(c.filter(replied_at__isnull=False, replied_on_time__isnull=True),
                       "replied complaints not marked on time or late")
    problems += _count(Event.objects.filter(complaint__isnull=False, at__lt=F("complaint__received_at")),
                       "complaint events before the complaint was received")
    problems += _count(c.filter(lead_unit__isnull=True, state__in=[Complaint.State.ASSIGNED, Complaint.State.IN_PROGRESS,
                                                                    Complaint.State.REPLIED]),
                       "complaints in a unit's hands without a lead unit")
    return problems


@invariant
def reviews_rectified(now):
    bad = Review.objects.filter(level__in=Review.BAD_LEVELS)
    problems = _count(bad.filter(rectification__isnull=True), "bad reviews without a rectification")
    problems += _count(Review.objects.exclude(level__in=Review.BAD_LEVELS).filter(rectification__isnull=False),
                       "good reviews with a rectification")
    r = Rectification.objects
    problems += _count(r.filter(submitted_at__lt=F("opened_at")), "rectifications reported before they were opened")
    problems += _count(r.filter(accepted_at__lt=F("submitted_at")), "rectifications accepted before they were reported")
    problems += _count(r.filter(opened_at__lt=F("review__reviewed_at")), "rectifications opened before the review")
    return problems


@invariant
def deadlines_on_working_days(now):
    """Deadlines Duban counts in working days fall on working days (printed plan deadlines are as printed)."""
    problems = _not_workdays(ReportingRound.objects.values_list("due_on", flat=True).distinct(),
                             "round due dates on non-working days", local=False)
    for field in ("contact_due", "reply_due", "next_due"):
        problems += _not_workdays(Complaint.objects.values_list(field, flat=True).distinct(),
                                  f"complaint {field} on non-working days")
    problems += _not_workdays(Rectification.objects.values_list("due_at", flat=True).distinct(),
                              "rectification deadlines on non-working days")
    for field in ("old_due", "new_due"):
        problems += _not_workdays(Extension.objects.values_list(field, flat=True).distinct(),
                                  f"extension {field} on non-working days")
    from duban.plans.models import Measure

    problems += _not_workdays(Measure.objects.filter(action_item__isnull=False).values_list("deadline", flat=True)
                              .distinct(), "action item deadlines on non-working days", local=False)
    return problems


@invariant
def nothing_in_the_future(now):
    problems = _count(Event.objects.filter(at__gt=now), "events after now")
    problems += _count(Complaint.objects.filter(received_at__gt=now), "complaints received after now")
    problems += _count(Review.objects.filter(reviewed_at__gt=now), "reviews given after now")
    problems += _count(ReportVersion.objects.filter(submitted_at__gt=now), "report versions submitted after now")
    return problems


def check(now=None):
    now = now or clock.now()
    problems = []
    for func in CHECKS:
        problems += func(now)
    return problems
