"""Enterprise visits by cadres (千名干部访千企) and the problems companies raise on them.

The office assigns companies to cadres (VisitAssignment, imported from Excel
or one by one); a cadre records each Visit on the phone: whom he met, which
policies of the library he delivered, and the problems raised. A problem
solved on the spot is done; any other is routed to the unit it concerns with
a reply deadline in working days, the same as a hotline complaint's (5, or 10
for a difficult one: duban.hotline.clocks). The unit answers, the cadre (or
the office) tells the company and records it, and `duban tick` reminds and
escalates (escalation.py) exactly as for complaints.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL, COOPERATING, OWN_UNIT
from duban.core import clock
from duban.hotline import clocks
from duban.hotline.models import Complaint
from duban.core.models import RegionalQuerySet, region_field

# A cadre's scope: the visits he made and the problems raised on them, the companies assigned to him.
OWN = "own"


class Company(models.Model):
    region = region_field("visited_companies")
    name = models.CharField(_("company name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    street = models.ForeignKey("plans.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("street"), limit_choices_to={"kind": "street"})
    company_type = models.CharField(_("company type"), max_length=50, blank=True,
                                    help_text=_("Such as 小微企业, 规上工业企业, 个体工商户."))
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="visits_company_unique_name")]

    def __str__(self):
        return self.name


class VisitAssignment(models.Model):
    """A company assigned to a cadre for the year (包联企业), to be visited by a date."""

    region = region_field("visit_assignments")
    year = models.PositiveSmallIntegerField(_("year"))
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_assignments",
                              verbose_name=_("cadre"))
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="assignments",
                                verbose_name=_("company"))
    visit_by = models.DateField(_("visit by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "company__name"]
        verbose_name = _("company assigned to a cadre")
        verbose_name_plural = _("visit plan")
        constraints = [models.UniqueConstraint(fields=["year", "company"], name="visits_assignment_one_cadre")]

    def __str__(self):
        return f"{self.cadre.display_name()} → {self.company}"

    def permission_scope_check(self, user, scope):
        return scope == ALL or (scope == OWN and self.cadre_id == user.pk)


class Visit(models.Model):
    region = region_field("visits")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                              verbose_name=_("cadre"))
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="visits", verbose_name=_("company"))
    visited_on = models.DateField(_("visited on"))
    people_met = models.CharField(_("people met"), max_length=200)
    policies = models.ManyToManyField("policies.Policy", blank=True, related_name="visits",
                                      verbose_name=_("policies delivered"))
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)
    # The one-time token of the form that recorded it: a resubmitted page finds this visit.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["region", "company", "visited_on"], name="visits_visit_company_day")]

    def __str__(self):
        return f"{self.visited_on} {self.company}"

    def get_absolute_url(self):
        return reverse("visits:visit_detail", args=[self.pk])

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope == OWN:
            return self.cadre_id == user.pk
        if scope in (OWN_UNIT, COOPERATING):
            return bool(user.unit_id) and self.problems.tracked().filter(unit=user.unit_id).exists()
        return False


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Problem.State.ROUTED])

    def tracked(self):
        """Problems routed to a unit (not solved on the spot): what deadlines, agenda and circular count."""
        return self.exclude(state=Problem.State.SOLVED_ON_SPOT)


class Problem(models.Model):
    """A problem or suggestion a company raised on a visit (企业诉求)."""

    class Category(models.TextChoices):
        MARKET_ACCESS = "market_access", _("market access")
        PERMITS = "permits", _("permits and approvals")
        FINANCE = "finance", _("financing")
        TAX = "tax", _("tax and fees")
        LAND = "land", _("land, planning and construction")
        UTILITIES = "utilities", _("water, power, gas and networks")
        LABOUR = "labour", _("labour and talent")
        POLICY = "policy", _("policy payouts")
        ENFORCEMENT = "enforcement", _("inspections and enforcement")
        OTHER = "other", _("other")

    # The same two kinds as a complaint's, with the same limits (duban.hotline.clocks.REPLY_WORKDAYS).
    Difficulty = Complaint.Difficulty

    class State(models.TextChoices):
        SOLVED_ON_SPOT = "solved_on_spot", _("solved on the spot")
        ROUTED = "routed", _("waiting for the unit's answer")
        ANSWERED = "answered", _("answered, company to be told")
        TOLD = "told", _("company told")

    region = region_field("visit_problems")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("visit"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("problem or suggestion"), max_length=4000)
    unit = models.ForeignKey("plans.Unit", on_delete=models.PROTECT, related_name="visit_problems",
                             verbose_name=_("unit concerned"))
    solved_on_spot = models.BooleanField(_("solved on the spot"), default=False)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices,
                                  default=Difficulty.GENERAL)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ROUTED)
    raised_at = models.DateTimeField(_("raised at"), default=clock.now)
    reply_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    reply_due_provisional = models.BooleanField(_("deadline provisional"), default=False)
    answer = models.TextField(_("unit's answer"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("answered by"))
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    told_at = models.DateTimeField(_("company told at"), null=True, blank=True)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("told by"))
    told_note = models.TextField(_("how the company took it"), blank=True, max_length=2000)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("supervised case since"), null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("problem raised on a visit")
        verbose_name_plural = _("problems raised on visits")
        indexes = [
            models.Index(fields=["state", "reply_due"], name="visits_problem_state_due"),
            models.Index(fields=["unit", "state", "reply_due"], name="visits_problem_unit_due"),
            models.Index(fields=["region", "-raised_at"], name="visits_problem_region_raised"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(solved_on_spot=False) | Q(state="solved_on_spot"),
                                   name="visits_problem_on_spot_state"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}：{self.description[:30]}"

    def get_absolute_url(self):
        return reverse("visits:problem_detail", args=[self.pk])

    @property
    def company(self):
        return self.visit.company

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope == OWN:
            return self.visit.cadre_id == user.pk
        if scope in (OWN_UNIT, COOPERATING):
            return bool(user.unit_id) and self.unit_id == user.unit_id and self.state != self.State.SOLVED_ON_SPOT
        return False

    @property
    def is_open(self):
        return self.state == self.State.ROUTED

    def light(self, now=None):
        """red: answer overdue; yellow: due by the next working day; green: running; "" when answered."""
        if not self.is_open or self.reply_due is None:
            return ""
        return clocks.light(self.reply_due, "reply", now or clock.now())


class ProblemEvent(models.Model):
    """What happened to a problem: routed, reminded, overdue, supervised, answered, company told."""

    class Kind(models.TextChoices):
        ROUTED = "routed", _("routed to the unit")
        REMINDED = "reminded", _("reminder sent")
        OVERDUE = "overdue", _("answer overdue")
        SUPERVISED = "supervised", _("became a supervised case")
        ANSWERED = "answered", _("answered by the unit")
        TOLD = "told", _("company told")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events", verbose_name=_("problem"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=clock.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    # Set on events the periodic check records, so that running it twice records nothing twice.
    key = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        constraints = [models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="visits_event_key_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
