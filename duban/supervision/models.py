"""Dispatch meetings (调度), quarterly supervision circulars (督查通报) and the annual assessment (考核)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.core import clock


class DispatchMeeting(models.Model):
    """A dispatch meeting on key and difficult problems: at least every two months, or at once in an emergency."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="dispatch_meetings",
                             verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    chair = models.ForeignKey("plans.Leader", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chaired_meetings", verbose_name=_("chair"))
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("Names and units, as for the minutes."))
    areas = models.ManyToManyField("plans.Area", blank=True, related_name="dispatch_meetings",
                                   verbose_name=_("scope"), help_text=_("Leave empty for the whole plan."))
    notes = models.TextField(_("notes for the minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.StampField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:meeting_detail", args=[self.pk])

    def permission_scope_check(self, user, scope):
        # A leader reads the meetings about the whole plan and those touching the areas they lead.
        if scope == "led_areas":
            areas = list(self.areas.all())
            return not areas or any(area.chief_id == user.leader_id for area in areas)
        return False


class AgendaItem(models.Model):
    """One problem on a meeting's agenda, drafted from live data or added by hand, with its decision."""

    class Kind(models.TextChoices):
        CARRIED_OVER = "carried_over", _("open action item from the last meeting")
        RED = "red", _("overdue measure")
        YELLOW = "yellow", _("measure due soon")
        COORDINATION = "coordination", _("report asking for district coordination")
        RETURNED = "returned", _("returned report")
        KPI_MISSED = "kpi_missed", _("target missed or at risk")
        SUPERVISED_COMPLAINT = "supervised_complaint", _("supervised complaint")
        OTHER = "other", _("other")

    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="agenda",
                                verbose_name=_("meeting"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    area = models.ForeignKey("plans.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("area"))
    unit = models.ForeignKey("plans.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("unit"))
    measure = models.ForeignKey("plans.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("measure"))
    source = models.CharField(_("source"), max_length=100, blank=True,
                              help_text=_("What the item was drafted from, e.g. progress.ProgressReport:12."))
    url = models.CharField(max_length=300, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    drafted = models.BooleanField(_("drafted automatically"), default=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "source"], condition=~models.Q(source=""),
                                               name="agenda_item_once_per_source")]

    def __str__(self):
        return self.title


class ActionItem(models.Model):
    """A decision's action item (议定事项). It is followed up as a measure of its owner unit's ledger."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="action_items",
                                    verbose_name=_("agenda item"))
    measure = models.OneToOneField("plans.Measure", on_delete=models.CASCADE, related_name="action_item",
                                   verbose_name=_("measure in the ledger"))
    owner_unit = models.ForeignKey("plans.Unit", on_delete=models.PROTECT, related_name="action_items",
                                   verbose_name=_("owner unit"))
    leader = models.ForeignKey("plans.Leader", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="action_items", verbose_name=_("accountable leader"))
    workdays = models.PositiveSmallIntegerField(_("working days to complete"))
    # A dispatch meeting is held behind closed doors: its action items reach the public page only when the
    # office says so.
    public = models.BooleanField(_("publish on the public page"), default=False)
    created_at = clock.StampField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item__meeting", "agenda_item__position", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.measure.text[:50]

    @property
    def meeting(self):
        return self.agenda_item.meeting

    @property
    def is_open(self):
        return self.measure.completed_on is None


class Circular(models.Model):
    """A quarterly supervision circular (督查通报), kept with the figures it was made from.

    Drafting a quarter's circular again makes the next version (v2 supersedes v1; both are kept, with what
    changed). One marked issued (印发) is frozen: its figures and text no longer change, and a new version
    supersedes it only with a reason (circulars.create_circular, shared by the page and `duban circular`).
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="circulars", verbose_name=_("plan"))
    quarter = models.CharField(_("quarter"), max_length=6, help_text=_("For example 2023Q3."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by", verbose_name=_("supersedes"))
    supersede_reason = models.TextField(_("reason for a new version"), blank=True)
    changes = models.JSONField(_("what changed from the previous version"), default=list, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    next_steps = models.TextField(_("next steps (下步要求)"), blank=True)
    as_of = models.DateField(_("figures as of"))
    snapshot = models.JSONField(_("figures"), default=dict)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("issued by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.StampField(auto_now_add=True)

    class Meta:
        ordering = ["-quarter", "-version", "-created_at"]
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        constraints = [models.UniqueConstraint(fields=["plan", "quarter", "version"],
                                               name="circular_one_version_number")]

    def __str__(self):
        return f"{self.plan} {self.quarter} v{self.version}"

    def get_absolute_url(self):
        return reverse("supervision:circular_detail", args=[self.pk])

    @property
    def is_current(self):
        """Not superseded by a later version."""
        return not hasattr(self, "superseded_by")  # the reverse one-to-one is missing until superseded

    @property
    def is_issued(self):
        return self.issued_at is not None


def ordered_weights(weights: dict) -> list[tuple[str, float]]:
    """A scheme's weights in the order of `default_weights` (then any others by name): PostgreSQL's jsonb
    keeps a dict's keys in an order of its own, and the assessment lists its parts in this one."""
    order = {key: position for position, key in enumerate(default_weights())}
    return sorted(weights.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def default_weights():
    return {
        "on_time_rate": 40,
        "reports_on_time_rate": 10,
        "reports_first_time_rate": 10,
        "kpi_attainment_rate": 15,
        "complaints_on_time_rate": 10,
        "satisfaction_rate": 5,
        "rectification_on_time_rate": 10,
    }


class AssessmentScheme(models.Model):
    """How a plan year's work is scored (考核): weights, deductions and the cap on bonuses."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="assessment_scheme",
                                verbose_name=_("plan"))
    weights = models.JSONField(_("weights"), default=default_weights,
                               help_text=_("Points for each rate (0–100 %) the unit achieves; they add up to 100."))
    deduction_per_overdue = models.DecimalField(_("deduction per overdue measure"), max_digits=5, decimal_places=2,
                                                default=1)
    deduction_per_escalation = models.DecimalField(_("deduction per escalated complaint"), max_digits=5,
                                                   decimal_places=2, default=0.5)
    max_bonus = models.DecimalField(_("maximum bonus"), max_digits=5, decimal_places=2, default=5)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    frozen_result = models.JSONField(_("frozen result"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self):
        return f"{self.plan} 考核"


class AssessmentBonus(models.Model):
    """Points added for an innovation recognised by the city or the province, with the reason."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="bonuses")
    unit = models.ForeignKey("plans.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    recognised_by = models.CharField(_("recognised by"), max_length=100, help_text=_("e.g. 南昌市营商办, 江西省发改委"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.StampField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment bonus")
        verbose_name_plural = _("assessment bonuses")
