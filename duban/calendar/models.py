"""The working-day calendar's data: yearly notices, their days, local overrides.

A region code is hierarchical: "CN" is the nation, "CN-GX" a province that
publishes extra days of its own (广西 三月三), "CN-JX-XH" a district. The
calendar of a region is its country's weekdays, then every notice of the
region and its parents (the more specific wins on the same date), then local
overrides. See docs/calendar.md.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock


def default_region() -> str:
    return settings.DUBAN_DEFAULT_REGION


class Notice(models.Model):
    """One year's holiday arrangement for a region (国务院办公厅关于YYYY年部分节假日安排的通知)."""

    region = models.CharField(_("region"), max_length=20, default=default_region)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True,
        help_text=_("Where the schedule came from: the imported file, or the package it was seeded from."),
    )
    text = models.TextField(_("text of the notice"), blank=True)
    changed_at = clock.StampField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["region", "-year"]
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="calendar_notice_once_a_year")]

    def __str__(self) -> str:
        return self.title


class Holiday(models.Model):
    """A date a notice closes (statutory holiday and the days moved to it) or opens (调休上班日)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKDAY = "workday", _("adjusted working day")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="days", verbose_name=_("notice"))
    # A copy of notice.region, so that one date has one meaning per region.
    region = models.CharField(_("region"), max_length=20, editable=False)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("festival"), max_length=100, help_text=_("As the notice names it."))
    changed_at = clock.StampField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="calendar_holiday_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.notice_id:
            self.region = self.notice.region
        if self.kind == self.Kind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"date": _("An adjusted working day is a Saturday or a Sunday.")})
        # Checked here because a form has no region field, so Django skips the
        # (region, date) constraint when validating one.
        taken = Holiday.objects.filter(region=self.region, date=self.date).exclude(pk=self.pk).select_related("notice")
        if self.region and self.date and taken.exists():
            raise ValidationError(
                {"date": _("%(date)s is already in the %(year)s schedule.") % {"date": self.date, "year": taken[0].notice.year}}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.region = self.notice.region
        super().save(*args, **kwargs)


class Override(models.Model):
    """A local exception on top of the notices: a district closes a day, or opens one."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("closed locally")
        OPEN = "open", _("working day locally")

    region = models.CharField(
        _("region"), max_length=20, default=default_region,
        help_text=_("The region it applies to, and every region below it."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    changed_at = clock.StampField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("local override")
        verbose_name_plural = _("local overrides")
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="calendar_override_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason} ({self.get_kind_display()})"


class DeadlineChange(models.Model):
    """A stored deadline that `duban calendar recompute` moved, kept as the audit trail."""

    model = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    field = models.CharField(_("field"), max_length=100)
    old_value = models.CharField(_("old deadline"), max_length=40, blank=True)
    new_value = models.CharField(_("new deadline"), max_length=40, blank=True)
    provisional = models.BooleanField(_("still provisional"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_at = clock.StampField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}.{self.field}: {self.old_value} → {self.new_value}"
