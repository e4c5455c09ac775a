"""Progress reporting (填报): rounds, the reports units keep in their ledgers, their versions.

The office opens a reporting round (报送轮次); every open measure is then due
one report in it, shared by the measure's lead units. A report moves

    draft ──submit (unit head)──▶ submitted ──accept (office)──▶ accepted
                                      │
                                      └──return (office)──▶ returned ──submit──▶ submitted …

and every submission is kept as a ReportVersion, so nothing the office once
read is lost. The rules live in the methods below; duban.progress.services
adds the notifications around them.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL, measure_scope_q
from duban.core import clock
from duban.core.writes import Writes
from duban.plans.models import Area, Measure, Plan, Unit

from .evidence import check_evidence


class TransitionError(ValidationError):
    """A report cannot move to the asked state; the message says why, for the person who asked."""


class EditConflict(Exception):
    """Someone saved the report since the editor loaded it (optimistic locking)."""

    def __init__(self, report):
        super().__init__(f"report {report.pk} is at version {report.version}")
        self.report = report


def measure_in_scope(measure_id, user, scope):
    """Whether a measure is inside the user's scope for an action (one query unless the scope is ALL)."""
    if scope == ALL:
        return True
    return Measure.objects.filter(pk=measure_id).filter(measure_scope_q(user, scope)).exists()


class ReportingRound(models.Model):
    """A reporting round (报送轮次): every open measure of the plan is due a report by `due_on`."""

    class Kind(models.TextChoices):
        BIMONTHLY = "bimonthly", _("bimonthly")
        MONTHLY = "monthly", _("monthly")
        AD_HOC = "ad_hoc", _("ad hoc")

    # The plan's rhythm: report every two months, in the even months.
    BIMONTHLY_MONTHS = (2, 4, 6, 8, 10, 12)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BIMONTHLY)
    period = models.DateField(
        _("month"), null=True, blank=True, help_text=_("First day of the month reported on; empty for ad hoc rounds.")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("opened by"),
    )
    due_workdays = models.PositiveSmallIntegerField(_("working days to report"), default=5)
    due_on = models.DateField(_("due on"))
    due_provisional = models.BooleanField(
        _("due date provisional"), default=False,
        help_text=_("The due date counts over a year whose holiday notice has not been entered."),
    )

    class Meta:
        ordering = ["plan", "opened_on", "pk"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "period"], condition=Q(period__isnull=False), name="progress_round_once_a_period"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("progress:round_detail", args=[self.pk])

    @staticmethod
    def default_due_workdays():
        return getattr(settings, "DUBAN_ROUND_DUE_WORKDAYS", 5)

    def compute_due(self):
        """The due date: `due_workdays` working days after opening (duban.calendar)."""
        from duban.calendar.workdays import deadline_after

        return deadline_after(self.opened_on, self.due_workdays)

    def default_title(self):
        if self.kind == self.Kind.BIMONTHLY and self.period:
            return gettext("%(year)s-%(month)02d bimonthly report") % {"year": self.period.year, "month": self.period.month}
        if self.kind == self.Kind.MONTHLY and self.period:
            return gettext("%(year)s-%(month)02d monthly report") % {"year": self.period.year, "month": self.period.month}
        return gettext("Ad hoc report of %(date)s") % {"date": self.opened_on.isoformat()}

    def clean(self):
        if self.kind == self.Kind.AD_HOC:
            self.period = None
            return
        if self.period is None:
            raise ValidationError({"period": _("A bimonthly or monthly round reports on a month.")})
        self.period = self.period.replace(day=1)
        if self.kind == self.Kind.BIMONTHLY and self.period.month not in self.BIMONTHLY_MONTHS:
            raise ValidationError({"period": _("Bimonthly rounds fall in February, April, June, August, October and December.")})

    def permission_scope_check(self, user, scope):
        # A round is an announcement to every unit; what it contains is narrowed per report.
        return True


class ReportQuerySet(models.QuerySet):
    def outstanding(self):
        """Reports the unit still owes: never submitted, or returned for correction."""
        return self.filter(status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED])

    def with_submission(self, today):
        """Annotate `submission` (a Submission value) in SQL, as ProgressReport.submission() does in Python."""
        return self.annotate(
            submission=models.Case(
                *(models.When(q, then=models.Value(value)) for value, q in submission_conditions(today)),
                output_field=models.CharField(),
            )
        )


class Submission(models.TextChoices):
    """Where a report stands against its round's due date (the office matrix's cells)."""

    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")
    RETURNED = "returned", _("returned")
    MISSING = "missing", _("missing")
    PENDING = "pending", _("not yet submitted")


def submission_conditions(today):
    """[(Submission value, Q)] — one place for the matrix's buckets, relative to ProgressReport."""
    sent = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
    return [
        (Submission.RETURNED, Q(status=ProgressReport.Status.RETURNED)),
        (Submission.ON_TIME, Q(status__in=sent, first_submitted_on__lte=F("round__due_on"))),
        (Submission.LATE, Q(status__in=sent, first_submitted_on__gt=F("round__due_on"))),
        (Submission.MISSING, Q(status=ProgressReport.Status.DRAFT, round__due_on__lt=today)),
        (Submission.PENDING, Q(status=ProgressReport.Status.DRAFT, round__due_on__gte=today)),
    ]


def tally_conditions():
    """[(RoundTally counter, Q)]: what each counter of a tally counts, relative to ProgressReport.

    Only what does not change with the date: a draft is missing or not yet due depending on today,
    which the matrix works out from the round's due date (every report of a round shares it).
    """
    sent = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
    return [
        ("draft", Q(status=ProgressReport.Status.DRAFT)),
        ("returned", Q(status=ProgressReport.Status.RETURNED)),
        ("on_time", Q(status__in=sent, first_submitted_on__lte=F("round__due_on"))),
        ("late", Q(status__in=sent, first_submitted_on__gt=F("round__due_on"))),
        ("accepted", Q(status=ProgressReport.Status.ACCEPTED)),
    ]


class ProgressReport(models.Model):
    """One measure's progress in one round, written by its lead units and reviewed by the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted, awaiting review")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        BEHIND = "behind", _("behind schedule")
        CANNOT_COMPLETE = "cannot_complete", _("cannot be completed")

    # What a unit writes; what a version keeps; what the compare view shows.
    CONTENT_FIELDS = ("progress", "percent", "done_text", "problems", "needs_coordination", "reason", "next_steps")
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("round"))
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("measure"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    done_text = models.TextField(_("work done this period"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    needs_coordination = models.BooleanField(
        _("needs district coordination"), default=False,
        help_text=_("The problem needs the district to coordinate; it goes on the next dispatch meeting's agenda."),
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the measure is behind schedule or cannot be completed.")
    )
    next_steps = models.TextField(_("next steps"), blank=True)

    # Optimistic locking: every save of the content adds one; a save based on an older number is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("last edited by"),
    )
    approval_requested_at = models.DateTimeField(_("sent to the unit head at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("submitted by"),
    )
    # The first submission decides lateness: correcting a returned report is not late reporting.
    first_submitted_on = models.DateField(_("first submitted on"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("office's comment"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["round", "measure__area__position", "measure__position"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "measure"], name="progress_report_once_a_round"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_at_most_100"),
        ]
        indexes = [models.Index(fields=["measure", "round"], name="progress_report_measure_round")]

    def __str__(self):
        return f"{self.round} · {self.measure.label}"

    def get_absolute_url(self):
        return reverse("progress:report_detail", args=[self.pk])

    def permission_scope_check(self, user, scope):
        return measure_in_scope(self.measure_id, user, scope)

    # ------------------------------------------------------------- state

    @property
    def with_unit_head(self):
        """Sent to the unit head and not returned since: the head's to submit (duban/progress/todo.py says the
        same in SQL). A report returned after it was sent is back with the reporter."""
        return (self.is_editable and self.approval_requested_at is not None
                and (self.reviewed_at is None or self.approval_requested_at > self.reviewed_at))

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def has_content(self):
        return self.version > 0

    def submission(self, today=None):
        """A Submission value, as ReportQuerySet.with_submission() computes it in SQL."""
        today = today or clock.today()
        if self.status == self.Status.RETURNED:
            return Submission.RETURNED
        if self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED):
            return Submission.ON_TIME if self.first_submitted_on <= self.round.due_on else Submission.LATE
        return Submission.MISSING if self.round.due_on < today else Submission.PENDING

    def tally_counters(self):
        """The RoundTally counters this report adds one to, as tally_conditions() selects them in SQL."""
        if self.status == self.Status.DRAFT:
            return ("draft",)
        if self.status == self.Status.RETURNED:
            return ("returned",)
        sent = "on_time" if self.first_submitted_on <= self.round.due_on else "late"
        return (sent, "accepted") if self.status == self.Status.ACCEPTED else (sent,)

    def content(self):
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def clean(self):
        if self.progress == self.Progress.COMPLETED:
            self.percent = 100
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValidationError({"percent": _("Percent complete is between 0 and 100.")})

    def submission_problems(self, evidence_count):
        """Why the report cannot be submitted yet: a list of messages, empty when it can."""
        problems = []
        if not self.progress:
            problems.append(gettext("Say how the measure is progressing."))
        elif self.progress != self.Progress.NOT_STARTED and not self.done_text.strip():
            problems.append(gettext("Describe the work done this period."))
        if self.progress in (self.Progress.BEHIND, self.Progress.CANNOT_COMPLETE, self.Progress.NOT_STARTED) \
                and not self.reason.strip():
            problems.append(gettext("Give the reason the measure is marked “%(progress)s”.") % {
                "progress": self.get_progress_display()})
        if self.needs_coordination and not self.problems.strip():
            problems.append(gettext("Describe the problem that needs district coordination."))
        if self.progress == self.Progress.COMPLETED and not evidence_count:
            problems.append(gettext("A completed measure needs at least one evidence file."))
        return problems

    # ------------------------------------------------------- transitions
    # Each checks its rule, changes the report (and its version, its measure) in memory and returns the
    # rows to write (duban.core.writes.Writes): progress.services saves them, the simulation's bulk
    # writer batches them. TransitionError, with a translated message, when the rule refuses.

    def ask_approval(self, now):
        """A reporter tells the unit head(s) the draft is ready to submit."""
        if not self.is_editable:
            raise TransitionError(gettext("This report is %(status)s; there is nothing to approve.")
                                  % {"status": self.get_status_display()})
        self.approval_requested_at = now
        return Writes().update(self, "approval_requested_at")

    def add_evidence(self, user, upload):
        """A file for the report, checked by content (ValidationError says why it was refused)."""
        if not self.is_editable:
            raise TransitionError(gettext("This report is %(status)s; files can no longer be added.")
                                  % {"status": self.get_status_display()})
        checked = check_evidence(upload)
        evidence = Evidence(report=self, original_name=checked.name, kind=checked.kind,
                            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                            uploaded_by=user)
        evidence.file.save(checked.name, upload, save=False)
        return Writes().create(evidence)

    def contribute(self, user, text, *, cooperating, contribution=None):
        """A cooperating unit's own part of the report (`cooperating`: whether the user's unit is one of the
        measure's; `contribution`: the unit's as it stands). Returns (the contribution, or None when the text
        is empty and the writer removes it; the rows to write)."""
        if user.unit_id is None or not cooperating:
            raise TransitionError(gettext("Only the measure's cooperating units add contributions; lead units write "
                                          "the report."))
        if self.status == self.Status.ACCEPTED:
            raise TransitionError(gettext("The office has accepted this report; contributions can no longer change."))
        text = text.strip()
        if not text:
            return None, Writes()
        contribution = contribution or Contribution(report=self, unit=user.unit)
        contribution.text, contribution.author = text, user
        return contribution, (Writes().update(contribution) if contribution.pk else Writes().create(contribution))

    def edit(self, user, content, now):
        """A draft's content saved by `user`: the fields that changed, the version counted up."""
        if not self.is_editable:
            raise TransitionError(gettext("This report is %(status)s and can no longer be edited.")
                                  % {"status": self.get_status_display()})
        fields = [name for name in self.CONTENT_FIELDS if name in content]
        for name in fields:
            setattr(self, name, content[name])
        if content.get("progress") == self.Progress.COMPLETED:
            self.percent = 100
            fields.append("percent")
        self.version += 1
        self.edited_at, self.edited_by = now, user
        return Writes().update(self, *dict.fromkeys(fields), "version", "edited_at", "edited_by")

    def submit(self, user, now=None, *, evidence=None, contributions=None, number=None):
        """The unit head sends the report to the office: a new version `number` keeps what was sent (the
        content, the current `evidence` files, the cooperating units' `contributions` by unit name) —
        each read from the database unless given (the simulation holds them in memory)."""
        if not self.is_editable:
            raise TransitionError(gettext("Only a draft or a returned report can be submitted; this one is %(status)s.")
                                  % {"status": self.get_status_display()})
        evidence = list(self.evidence.current() if evidence is None else evidence)
        problems = self.submission_problems(len(evidence))
        if problems:
            raise TransitionError(problems)
        if contributions is None:
            contributions = self.contributions.select_related("unit").order_by("unit__name")
        number = self.versions.count() + 1 if number is None else number
        now = now or clock.now()
        self.status = self.Status.SUBMITTED
        self.submitted_at, self.submitted_by = now, user
        self.first_submitted_on = self.first_submitted_on or timezone.localdate(now)
        self.reviewed_at, self.reviewed_by, self.review_comment = None, None, ""
        version = ReportVersion(report=self, number=number, data=None, submitted_at=now, submitted_by=user)
        version.sent = (self.content(), evidence, [{"unit": c.unit.name, "text": c.text} for c in contributions])
        return Writes().update(self, "status", "submitted_at", "submitted_by", "first_submitted_on", "reviewed_at",
                               "reviewed_by", "review_comment").create(version)

    def _review(self, user, outcome, comment, now, version):
        if self.status != self.Status.SUBMITTED:
            raise TransitionError(gettext("Only a submitted report can be reviewed; this one is %(status)s.")
                                  % {"status": self.get_status_display()})
        version = version or self.versions.order_by("-number").first()
        now = now or clock.now()
        self.status = outcome
        self.reviewed_at, self.reviewed_by, self.review_comment = now, user, comment
        version.outcome, version.reviewed_at, version.reviewed_by, version.review_comment = outcome, now, user, comment
        return Writes().update(self, "status", "reviewed_at", "reviewed_by", "review_comment").update(
            version, "outcome", "reviewed_at", "reviewed_by", "review_comment")

    def accept(self, user, comment="", now=None, *, version=None):
        """The office accepts the submitted `version` (default: the latest); a report of completion completes
        the measure as of its submission."""
        writes = self._review(user, self.Status.ACCEPTED, comment.strip(), now, version)
        if self.progress == self.Progress.COMPLETED and self.measure.completed_on is None:
            # The unit finished when it said so, not when the office got round to reading it.
            self.measure.completed_on = timezone.localdate(self.submitted_at)
            writes.update(self.measure, "completed_on")
        return writes

    def return_for_correction(self, user, comment, now=None, *, version=None):
        """The office sends the submitted `version` (default: the latest) back; the unit sees why."""
        if not comment.strip():
            raise TransitionError(gettext("Say why the report is returned: the unit sees this comment."))
        return self._review(user, self.Status.RETURNED, comment.strip(), now, version)

    def contributions_sent(self):
        return [{"unit": c.unit.name, "text": c.text}
                for c in self.contributions.select_related("unit").order_by("unit__name")]

    def snapshot(self, evidence):
        """What a version would keep if the report were submitted now (the compare page's current draft)."""
        return version_data(self.content(), evidence, self.contributions_sent())

def version_data(content, evidence, contributions):
    """What a version keeps: the content, the evidence files and the cooperating units' contributions."""
    return {**content, "evidence": [{"id": e.pk, "name": e.original_name, "size": e.size} for e in evidence],
            "contributions": contributions}


class RoundTally(models.Model):
    """How a round's reports stand, counted per lead unit and area, for the office's matrix.

    The matrix sums a few hundred of these instead of grouping every report of the plan with its lead
    units (96,000 reports at the benchmark's stress scale). duban.progress.services keeps them current;
    `duban progress tallies` counts them afresh. A row without a unit counts each report of the area
    once: the matrix's totals, where a measure led by two units would otherwise count twice. The area
    is in the key so that a leader's matrix can keep to the areas the leader heads.
    """

    COUNTERS = ("draft", "returned", "on_time", "late", "accepted")

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("round"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("lead unit")
    )
    draft = models.PositiveIntegerField(_("drafts"), default=0)
    returned = models.PositiveIntegerField(_("returned"), default=0)
    # Submitted or accepted, by whether the first submission met the round's due date.
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)

    class Meta:
        verbose_name = _("round tally")
        verbose_name_plural = _("round tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "area", "unit"], condition=Q(unit__isnull=False), name="progress_tally_once_a_unit"
            ),
            models.UniqueConstraint(
                fields=["round", "area"], condition=Q(unit__isnull=True), name="progress_tally_once_an_area"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.area_id} · {self.unit_id or '*'}"

    def counts(self):
        return {name: getattr(self, name) for name in self.COUNTERS}


class ReportVersion(models.Model):
    """A report as it was submitted, with the office's verdict on it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report"))
    number = models.PositiveSmallIntegerField(_("number"))
    data = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ProgressReport.Status.choices, default=ProgressReport.Status.SUBMITTED
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("office's comment"), blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="progress_version_number_once")]

    def __str__(self):
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        if self.data is None:
            self.fill_data()
        super().save(*args, **kwargs)

    def fill_data(self):
        """The data of a version ProgressReport.submit() made, once its evidence rows have their ids."""
        self.data = version_data(*self.sent)

    def permission_scope_check(self, user, scope):
        return measure_in_scope(self.report.measure_id, user, scope)


class Contribution(models.Model):
    """What a cooperating unit did for a measure this round; the lead unit's report shows it."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("report")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    text = models.TextField(_("contribution"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    updated_at = clock.StampField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["report", "unit__name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="progress_contribution_once_per_unit")]

    def __str__(self):
        return f"{self.unit}: {self.text[:30]}"

    def permission_scope_check(self, user, scope):
        return measure_in_scope(self.report.measure_id, user, scope)


def evidence_path(instance, filename):
    # A random name: the stored path never carries what a user typed. The original name is kept in a field.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"progress/evidence/{clock.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Evidence(models.Model):
    """A file backing a report (佐证材料): PDF, Word, Excel or an image, checked by content.

    A file that was part of a submitted version is never deleted: removing it
    from the report only hides it, so old versions can still be downloaded.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        WORD = "word", "Word"
        EXCEL = "excel", "Excel"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = clock.StampField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("progress:evidence_download", args=[self.pk])

    def permission_scope_check(self, user, scope):
        return measure_in_scope(self.report.measure_id, user, scope)
