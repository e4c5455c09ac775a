"""The plan ledger (台账): a published action plan and everything in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.models import Region, RegionalQuerySet, region_field, sees_every_region


class Leader(models.Model):
    """A district leader: indicator chief (指标长) or lead district leader (牵头区领导)."""

    region = region_field("leaders")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="leader_unique_name_in_region")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A responsible unit: a district department, street office, court, branch or enterprise."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("district department")
        STREET = "street", _("street office")
        JUDICIAL = "judicial", _("court or procuratorate")
        BRANCH = "branch", _("vertically managed branch")
        ENTERPRISE = "enterprise", _("enterprise")
        OTHER = "other", _("other")

    region = region_field("units")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    confirmed = models.BooleanField(
        _("confirmed"), default=True,
        help_text=_("A unit first seen in an imported plan is a proposal until the office confirms it."),
    )

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:unit_detail", args=[self.pk])


class UnitAlias(models.Model):
    """Another spelling of a unit's name (区人民法院 for 区法院)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("unit"))
    # The unit's region, kept here so that the database holds an alias to one unit per region.
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", editable=False)
    alias = models.CharField(_("alias"), max_length=100)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        constraints = [models.UniqueConstraint(fields=["region", "alias"], name="unit_alias_unique_in_region")]

    def save(self, *args, **kwargs):
        self.region_id = self.unit.region_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.alias} → {self.unit.name}"


class Plan(models.Model):
    """A published action plan (行动方案) for one year."""

    region = region_field("plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_bodies = models.CharField(_("issuing bodies"), max_length=300, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    source_file = models.FileField(_("source file"), upload_to="plans/", blank=True)
    missing_annexes = models.JSONField(
        _("annexes named but not included"), default=list, blank=True,
        help_text=_("Annexes the plan names but the imported document did not contain."),
    )
    imported_at = clock.StampField(_("imported at"), auto_now=True)
    warning_workdays = models.PositiveSmallIntegerField(
        _("yellow light, working days before deadline"), default=5,
        help_text=_("Open work due within this many working days shows a yellow light."),
    )

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "document_number"],
                condition=~models.Q(document_number=""),
                name="plan_unique_document_number_in_region",
            ),
            models.UniqueConstraint(fields=["region", "year", "title"], name="plan_unique_title_year_in_region"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])


class Area(models.Model):
    """A work area of the plan: an indicator, a special action, a highlight project…"""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("provincially evaluated indicator")
        FORWARD = "forward", _("forward-looking item")
        SPECIAL_ACTION = "special_action", _("special action")
        GOVERNANCE = "governance", _("special governance")
        HIGHLIGHT = "highlight", _("street highlight")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    chief = models.ForeignKey(
        Leader, null=True, blank=True, on_delete=models.SET_NULL, related_name="areas", verbose_name=_("chief leader")
    )
    responsible_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="responsible_for",
        verbose_name=_("overall responsible unit"),
    )
    lead_units = models.ManyToManyField(Unit, related_name="led_areas", blank=True, verbose_name=_("lead units"))
    cooperating_units = models.ManyToManyField(
        Unit, related_name="cooperating_areas", blank=True, verbose_name=_("cooperating units")
    )
    scope_text = models.CharField(_("stated collective scope"), max_length=300, blank=True)
    benchmarks = models.CharField(_("benchmark cities"), max_length=300, blank=True)
    target_text = models.TextField(_("expected target"), blank=True)
    pilots = models.TextField(_("innovation pilots"), blank=True)
    narrative = models.TextField(_("text in the plan"), blank=True)
    attribution_text = models.TextField(_("attribution as printed"), blank=True)
    annex_names = models.JSONField(
        _("spellings in the annexes"), default=list, blank=True,
        help_text=_("Other names the annex tables use for this area; their rows were matched to it."),
    )
    source = models.CharField(_("source"), max_length=50, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:area_detail", args=[self.pk])


class Campaign(models.Model):
    """One of the special governance campaigns (专项治理) listed together in one area."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=200)
    lead_units = models.ManyToManyField(Unit, related_name="led_campaigns", blank=True, verbose_name=_("lead units"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["area", "position"]
        verbose_name = _("governance campaign")
        verbose_name_plural = _("governance campaigns")

    def __str__(self):
        return self.name


class Task(models.Model):
    """A task (工作任务) of an area, grouping measures."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("area"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    number_inferred = models.BooleanField(
        _("number inferred"), default=False, help_text=_("The printed number was lost and was inferred from its neighbours.")
    )
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=50, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["area", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.number or '—'}. {self.text[:40]}"


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_every_region(user) else self.filter(plan__region=user.region_id)

    def led_by(self, unit):
        return self.filter(lead_units=unit)

    def involving(self, unit):
        return self.filter(models.Q(lead_units=unit) | models.Q(cooperating_units=unit)).distinct()


class Measure(models.Model):
    """A concrete measure (工作举措) with its lead units and deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="measures", verbose_name=_("area"))
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="measures", verbose_name=_("task")
    )
    annex = models.PositiveSmallIntegerField(_("annex"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    number_inferred = models.BooleanField(_("number inferred"), default=False)
    text = models.TextField(_("text"))
    lead_units = models.ManyToManyField(
        Unit, through="MeasureLeadUnit", related_name="led_measures", blank=True, verbose_name=_("lead units")
    )
    cooperating_units = models.ManyToManyField(
        Unit, through="MeasureCooperatingUnit", related_name="cooperating_measures", blank=True,
        verbose_name=_("cooperating units"),
    )
    scope_text = models.CharField(_("stated collective scope"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as printed"), max_length=100, blank=True)
    deadline_year_only = models.BooleanField(_("deadline gives only a year"), default=False)
    ongoing = models.BooleanField(
        _("ongoing"), default=False,
        help_text=_("Printed as continuing work (长期坚持, 持续推进): no deadline."),
    )
    notes = models.JSONField(_("notes"), default=dict, blank=True)
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, help_text=_("Set when the office accepts a report of completion.")
    )
    source = models.CharField(_("source"), max_length=50, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The deadline whose passing `duban tick` announced (event measure.overdue): once per deadline.
    overdue_announced_for = models.DateField(_("overdue announced for the deadline"), null=True, blank=True,
                                             editable=False)

    # The source of a measure created by a dispatch meeting's decision (an action item).
    ACTION_ITEM_SOURCE = "调度会议"

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "area__position", "position"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.label} {self.text[:40]}"

    @property
    def label(self):
        """How people cite it: 附件1-29, or 附件2-（23后） for an unnumbered row."""
        if self.annex:
            return f"{self.annex}-{self.number}" if self.number else f"{self.annex}-{self.unnumbered_label()}"
        if self.source == self.ACTION_ITEM_SOURCE and self.number:
            return f"调度-{self.number}"
        return str(self.number or self.position)

    def unnumbered_label(self):
        """An annex row printed without a number, cited by the numbered row before it: （23后）, or （首条前）
        when it comes first. One query, only for such rows (few in a plan), kept on the instance."""
        if not hasattr(self, "_after_number"):
            self._after_number = (
                Measure.objects.filter(area_id=self.area_id, annex=self.annex, number__isnull=False,
                                       position__lt=self.position)
                .order_by("-position").values_list("number", flat=True).first())
        return f"（{self._after_number}后）" if self._after_number else "（首条前）"

    def get_absolute_url(self):
        return reverse("plans:measure_detail", args=[self.pk])

    def ordered_lead_units(self):
        return [link.unit for link in self.lead_links.select_related("unit").order_by("position")]

    def ordered_cooperating_units(self):
        return [link.unit for link in self.cooperating_links.select_related("unit").order_by("position")]


class MeasureLeadUnit(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="lead_links",
                                verbose_name=_("measure"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("lead unit of a measure")
        verbose_name_plural = _("lead units of measures")
        constraints = [models.UniqueConstraint(fields=["measure", "unit"], name="measure_lead_unit_once")]

    def __str__(self):
        return f"{self.measure.label} · {self.unit}"


class MeasureCooperatingUnit(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="cooperating_links",
                                verbose_name=_("measure"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cooperating unit of a measure")
        verbose_name_plural = _("cooperating units of measures")
        constraints = [models.UniqueConstraint(fields=["measure", "unit"], name="measure_cooperating_unit_once")]

    def __str__(self):
        return f"{self.measure.label} · {self.unit}"


class Milestone(models.Model):
    """A dated step inside a measure's text (时间节点): '2023年7月31日前，印发通知'."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("measure"))
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["measure", "date", "position"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.text[:30]}"

    @property
    def is_past(self):
        return self.date < clock.today()


class PlanImport(models.Model):
    """A plan file uploaded in the browser, read and waiting for the office's review (duban/plans/views_import.py).

    Nothing of it is in the ledger until the office confirms: the file is kept through the storage API,
    the items as read (`importers.items.plan_items`) and the clerk's corrections beside them. Confirming
    reads the file again, applies the corrections and saves the plan in one transaction.
    """

    class State(models.TextChoices):
        REVIEW = "review", _("waiting for review")
        IMPORTED = "imported", _("imported")
        DISCARDED = "discarded", _("discarded")

    region = region_field("plan_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.stamp)
    file = models.FileField(_("file"), upload_to="plan-imports/")
    file_name = models.CharField(_("file name"), max_length=255)
    layout = models.CharField(_("layout"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REVIEW)
    # The plan as read: title, year, document number, area names, counts and the file's warnings.
    summary = models.JSONField(_("summary"), default=dict)
    items = models.JSONField(_("items as read"), default=list)
    # Item index (as a string) → the corrected fields: lead, cooperating, deadline, area, number.
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    revises = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("revises"))
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("plan"))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("plans:import_review", args=[self.pk])
