"""Indicator targets (KPIs): what the plan promises in numbers, and what units report.

A `Proposal` is a target found in the plan's text and waiting for the office;
only a confirmed `Metric` counts. Units report one `MetricValue` per period;
every change to a value is kept as a `ValueRevision`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL, COOPERATING, LED_AREAS, OWN_UNIT
from duban.core import clock


class Direction(models.TextChoices):
    AT_MOST = "at_most", _("at most")
    AT_LEAST = "at_least", _("at least")
    EQUAL = "equal", _("equal to")
    REDUCE_BY = "reduce_by", _("reduce by")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    BIMONTHLY = "bimonthly", _("every two months")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


class SourceField(models.TextChoices):
    PREAMBLE = "preamble", _("plan goals")
    TARGET = "target_text", _("expected target")
    NARRATIVE = "narrative", _("text in the plan")
    PILOTS = "pilots", _("innovation pilots")
    TASK = "task", _("task")
    MEASURE = "measure", _("measure")


VALUE_DIGITS = {"max_digits": 16, "decimal_places": 4}


class Proposal(models.Model):
    """A target found in the plan's text. Nothing counts until the office confirms it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        DISCARDED = "discarded", _("discarded")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="metric_proposals", verbose_name=_("plan"))
    area = models.ForeignKey(
        "plans.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="metric_proposals",
        verbose_name=_("area"), help_text=_("Empty for a target of the whole plan."),
    )
    source_field = models.CharField(_("found in"), max_length=20, choices=SourceField.choices)
    task = models.ForeignKey("plans.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    measure = models.ForeignKey("plans.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    also_in = models.JSONField(
        _("also printed in"), default=list, blank=True,
        help_text=_("Other places in the plan that state the same target."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    quantity_text = models.CharField(_("as printed"), max_length=100)
    text = models.TextField(_("source sentence"))
    fingerprint = models.CharField(max_length=40, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    conflicts = models.ManyToManyField(
        "self", blank=True, verbose_name=_("conflicting statements"),
        help_text=_("Other targets the plan sets for the same thing with a different number or direction."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("metric proposal")
        verbose_name_plural = _("metric proposals")
        constraints = [models.UniqueConstraint(fields=["plan", "fingerprint"], name="kpi_proposal_once_per_plan")]

    def __str__(self):
        return f"{self.subject} {self.quantity_text}"

    def source_ref(self):
        """Where it was printed, as (field, measure or task label)."""
        if self.measure_id:
            return self.source_field, self.measure.label
        if self.task_id:
            return self.source_field, str(self.task.number or "")
        return self.source_field, ""


class Metric(models.Model):
    """A tracked indicator: a target value, its direction, who reports it and how often."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="metrics", verbose_name=_("plan"))
    area = models.ForeignKey(
        "plans.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("area"),
        help_text=_("Leave empty for a target of the whole plan, such as the district's provincial ranking."),
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="metric",
        verbose_name=_("proposal"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=20,
        help_text=_("Unit of the reported values: %, 工作日, 小时, 人, 项, 名 … For “reduce by”, the unit of the "
                    "measured quantity (for example 小时), not %."),
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    target = models.DecimalField(
        _("target value"), **VALUE_DIGITS, help_text=_("For “reduce by”, the reduction in percent."))
    baseline = models.DecimalField(
        _("baseline"), null=True, blank=True, **VALUE_DIGITS,
        help_text=_("The value before the plan. Required for “reduce by”; otherwise the path to the target "
                    "starts from it instead of the first reported value."),
    )
    tolerance = models.DecimalField(
        _("tolerance"), default=Decimal("0"), **VALUE_DIGITS,
        help_text=_("For “equal to”: how far from the target still counts as met."),
    )
    owner = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics",
        verbose_name=_("owner unit"), help_text=_("The unit that reports the values."),
    )
    frequency = models.CharField(_("reporting frequency"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    due = models.DateField(_("due"), help_text=_("The date by which the target must be met."))
    source_note = models.TextField(_("data source"), blank=True,
                                   help_text=_("Where the values come from and how they are measured."))
    computed_from = models.CharField(
        _("computed by Duban from"), max_length=40, blank=True,
        help_text=_("Duban computes the value of each period from the data it holds (service reviews, complaints, "
                    "progress reports); a value the unit reports is shown beside it as its official figure."))
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = clock.StampField(_("created at"), auto_now_add=True)
    updated_at = clock.StampField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["plan", "area__position", "position", "pk"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kpi:metric_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.direction == Direction.REDUCE_BY:
            if self.baseline is None or self.baseline <= 0:
                errors["baseline"] = _("A reduction is measured from a baseline: enter the value before the plan.")
            if self.target is not None and not Decimal("0") < self.target < Decimal("100"):
                errors["target"] = _("A reduction is a percentage between 0 and 100.")
            if self.unit.strip() == "%":
                errors["unit"] = _("For “reduce by”, enter the unit of the measured quantity (for example 小时), "
                                   "not %: units report the quantity, the reduction is computed.")
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = _("The tolerance cannot be negative.")
        if self.area_id and self.plan_id and self.area.plan_id != self.plan_id:
            errors["area"] = _("The area belongs to another plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def start_date(self):
        return datetime.date(self.plan.year, 1, 1)

    @property
    def target_level(self):
        """The value the reports must reach: for “reduce by 15%” from 6 hours, 5.1 hours."""
        if self.direction == Direction.REDUCE_BY and self.baseline is not None:
            return self.baseline * (Decimal("100") - self.target) / Decimal("100")
        return self.target

    def permission_scope_check(self, user, scope):
        """For duban.accounts.permissions.can(): whether the metric is in the user's scope."""
        if scope == ALL:
            return True
        if scope in (OWN_UNIT, COOPERATING):
            return bool(user.unit_id) and self.owner_id == user.unit_id
        if scope == LED_AREAS:
            return bool(user.leader_id) and self.area_id is not None and self.area.chief_id == user.leader_id
        return False


class MetricValue(models.Model):
    """The value a unit reported for one period (as of the period's end; year to date for counts)."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values", verbose_name=_("metric"))
    period = models.CharField(_("period"), max_length=10, help_text=_("2023-03, 2023-B2, 2023-Q1, 2023-H1 or 2023."))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="kpi/evidence/%Y/%m/", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        ordering = ["metric", "period_end"]
        verbose_name = _("metric value")
        verbose_name_plural = _("metric values")
        constraints = [models.UniqueConstraint(fields=["metric", "period"], name="kpi_one_value_per_period")]

    def __str__(self):
        return f"{self.metric} {self.period}: {self.value}"

    @property
    def is_corrected(self):
        """Once the office has corrected a value, only the office changes it."""
        return self.corrected_at is not None


class ValueRevision(models.Model):
    """One step in a value's history: reported, re-reported, imported or corrected."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        IMPORTED = "imported", _("imported")
        CORRECTED = "corrected", _("corrected")

    metric_value = models.ForeignKey(MetricValue, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["metric_value", "at", "pk"]
        verbose_name = _("value revision")
        verbose_name_plural = _("value revisions")

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"
