"""The policy library (惠企政策库): policies, their companion materials, the weekly explanation, payouts.

A reform policy is published with four companion materials (简本, 解读, 流程图,
办事指南), each on the department's website and in the media at the same
time (the plan's 四（四）宣传引导); publication.py says which are missing.
Every week one policy is explained (每周宣传一个政策): Explanation rows, one
per week, and the weeks without one show as gaps. Payout rows record the 兑现
of a policy: its mode, the company, the amount and the dates that give the
time from application to payout in working days.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL, COOPERATING, OWN_UNIT
from duban.core import clock
from duban.core.models import RegionalQuerySet, region_field


class Policy(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")

    region = region_field("policies")
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    issuer = models.CharField(_("issuing unit"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    lead_unit = models.ForeignKey(
        "plans.Unit", on_delete=models.PROTECT, related_name="policies", verbose_name=_("lead unit"),
        help_text=_("The district unit that publishes the policy's materials and answers questions on it."),
    )
    topic = models.CharField(_("topic"), max_length=50, help_text=_("Such as 融资, 税费, 用工, 准入."))
    company_types = models.CharField(
        _("for companies"), max_length=200, blank=True, help_text=_("Such as 小微企业、个体工商户; empty: all."))
    summary = models.TextField(_("what it offers"), blank=True, max_length=4000)
    reform = models.BooleanField(
        _("reform policy"), default=True,
        help_text=_("Reform policies are published with a summary, an interpretation, a flow chart and a "
                    "service guide."))
    measures = models.ManyToManyField("plans.Measure", blank=True, related_name="policies",
                                      verbose_name=_("measures it implements"))
    public = models.BooleanField(_("on the public page"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["region", "lead_unit"], name="policies_policy_region_unit")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:policy_detail", args=[self.pk])

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope in (OWN_UNIT, COOPERATING):
            return bool(user.unit_id) and self.lead_unit_id == user.unit_id
        return False


class Material(models.Model):
    """A companion material of a policy, as a file (via Django storage) or a text."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("summary (简本)")
        INTERPRETATION = "interpretation", _("interpretation (解读)")
        FLOWCHART = "flowchart", _("flow chart (流程图)")
        GUIDE = "guide", _("service guide (办事指南)")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="materials", verbose_name=_("policy"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True, max_length=20000)
    file = models.FileField(_("file"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(_("added at"), default=clock.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("added by"))

    class Meta:
        ordering = ["policy", "kind"]
        verbose_name = _("companion material")
        verbose_name_plural = _("companion materials")
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="policies_material_one_per_kind")]

    def __str__(self):
        return f"{self.policy} · {self.get_kind_display()}"

    @property
    def region_id(self):
        """The policy's region: what permissions.region_of checks."""
        return self.policy.region_id

    def permission_scope_check(self, user, scope):
        return self.policy.permission_scope_check(user, scope)


class Publication(models.Model):
    """Where and when a material was published: the department's website or a medium."""

    class Channel(models.TextChoices):
        WEBSITE = "website", _("department website")
        MEDIA = "media", _("media")

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="publications",
                                 verbose_name=_("material"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    outlet = models.CharField(_("where"), max_length=200, help_text=_("Such as 西湖区人民政府网 or 南昌日报."))
    url = models.URLField(_("link"), blank=True)
    published_on = models.DateField(_("published on"))

    class Meta:
        ordering = ["published_on", "pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return f"{self.outlet} {self.published_on}"


class Explanation(models.Model):
    """The week's policy explanation (每周宣传一个政策): which policy, when and where it was explained."""

    region = region_field("policy_explanations")
    week = models.DateField(_("week (its Monday)"))
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="explanations", verbose_name=_("policy"))
    held_on = models.DateField(_("explained on"), null=True, blank=True,
                               help_text=_("Empty: planned, not done yet."))
    where = models.CharField(_("where"), max_length=200, blank=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["week"]
        verbose_name = _("weekly policy explanation")
        verbose_name_plural = _("weekly policy explanations")
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="policies_explanation_one_per_week")]

    def __str__(self):
        return f"{self.week} {self.policy}"


class Payout(models.Model):
    """A payout (兑现) to one company under a policy."""

    class Mode(models.TextChoices):
        AUTOMATIC = "automatic", _("without application (免申即享)")
        ON_APPLICATION = "on_application", _("on application (即申即享)")
        ON_COMMITMENT = "on_commitment", _("on commitment (承诺兑现)")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("policy"))
    mode = models.CharField(_("mode"), max_length=15, choices=Mode.choices)
    company_name = models.CharField(_("company name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    applied_on = models.DateField(_("applied on"), help_text=_("Without application: the day it became due."))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    through_platform = models.BooleanField(_("paid through 惠企通"), default=True)

    class Meta:
        ordering = ["-applied_on", "pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [models.CheckConstraint(condition=models.Q(paid_on__isnull=True)
                                              | models.Q(paid_on__gte=models.F("applied_on")),
                                              name="policies_payout_paid_after_applied")]

    def __str__(self):
        return f"{self.company_name} {self.amount}"

    @property
    def region_id(self):
        return self.policy.region_id

    def permission_scope_check(self, user, scope):
        return self.policy.permission_scope_check(user, scope)
