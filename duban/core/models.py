"""What several apps share: regions, in-app notifications and group-robot channels."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import clock

DEFAULT_REGION_CODE = "default"


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_every_region(user) else self.filter(pk=user.region_id)

    def by_code(self, code):
        """The region with this code; None gives the site's only region. LookupError names the codes there are."""
        if code is None:
            return self.sole()
        found = self.filter(code=code).first()
        if found is None:
            codes = ", ".join(self.order_by("code").values_list("code", flat=True))
            raise LookupError(f"no region with code {code!r} (regions: {codes})")
        return found

    def sole(self):
        """The region of a one-region site (its first set-up needs no code); LookupError when there are several,
        so that nothing falls into the first region unasked."""
        regions = list(self.order_by("pk")[:2])
        if len(regions) != 1:
            codes = ", ".join(self.order_by("code").values_list("code", flat=True))
            raise LookupError(gettext("This site has several regions; name one (regions: %(codes)s).") % {"codes": codes}
                              if regions else gettext("This site has no region yet."))
        return regions[0]


class Region(models.Model):
    """A government whose plan Duban runs (a district; a city or province hosts several on one site).

    Plans, units, leaders, users and complaints belong to one; a user sees only their region's data
    (superusers see every region). A site with one district never needs more than the default region.
    """

    code = models.CharField(
        _("code"), max_length=20, unique=True,
        help_text=_("A short stable code, e.g. the administrative division code 360103."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    # The office that supervises the plan, as its circulars' red header and signature and the pages name it.
    office_name = models.CharField(
        _("office's full name"), max_length=100, blank=True,
        help_text=_("As the red header of its circulars prints it, e.g. 西湖区营商环境优化升级工作领导小组办公室. "
                    "Empty: the region's name followed by 营商环境优化升级工作领导小组办公室."),
    )
    office_short = models.CharField(
        _("office's short name"), max_length=40, blank=True,
        help_text=_("As buttons, minutes and texts name it, e.g. 西湖区营商办. Empty: the region's name followed "
                    "by 营商办."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when regions lived in `plans` (migrations core 0003, plans 0004).
        db_table = "plans_region"
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def office_full_name(self) -> str:
        """The office's full name: as set, else derived from the region's name (青山县 → 青山县营商环境…办公室)."""
        return self.office_name.strip() or f"{office_place(self.name)}{OFFICE_NAME_SUFFIX}"

    @property
    def office_short_name(self) -> str:
        """The office's short name: as set, else derived from the region's name (青山县 → 青山县营商办)."""
        return self.office_short.strip() or f"{office_place(self.name)}{OFFICE_SHORT_SUFFIX}"


OFFICE_NAME_SUFFIX = "营商环境优化升级工作领导小组办公室"
OFFICE_SHORT_SUFFIX = "营商办"


def office_place(region_name: str) -> str:
    """The place an office is named after: the region's name, except the placeholder 本区 (the region the
    migrations create before anyone names it), whose office is simply the 区营商办."""
    name = region_name.strip()
    return name[1:] if name.startswith("本") and len(name) == 2 else name


# The region the migrations create, so that a one-region site can be set up without naming it. No field
# falls back to it: every row is given its region by whoever creates it (the acting user, token or object),
# and a row saved without one fails (docs/security.md, "Regions"); Region.objects.sole() is the one
# fallback, for a one-region site's first set-up.
DEFAULT_REGION_PK = 1


def default_region():
    """Only for the old migrations that name it as a field default (core 0002, plans 0003 …); models do not."""
    return DEFAULT_REGION_PK


def ensure_default_region():
    """Create the default region if it is missing (the migrations do; tests that flush the database too)."""
    Region.objects.get_or_create(pk=DEFAULT_REGION_PK, defaults={"code": DEFAULT_REGION_CODE, "name": "本区"})


def sees_every_region(user):
    """Superusers work across regions (a province's operators); everyone else within their own."""
    return bool(user and user.is_authenticated and user.is_superuser)


def in_region(user, region_id):
    return sees_every_region(user) or (user.is_authenticated and user.region_id == region_id)


def region_path(model):
    """The lookup from a model to the region its rows belong to — "region", "plan__region",
    "report__round__plan__region", "user__region" — or None for a model that belongs to no region.

    The shortest chain of required foreign keys (a nullable one, such as "uploaded by", says nothing about
    whose row it is); a Region is its own ("pk"). The admin keeps staff to their region's rows by it
    (duban.core.admin.RegionalAdmin)."""
    if model is Region or issubclass(model, Region):
        return "pk"
    paths = [(model, "")]
    seen = {model}
    while paths:
        following = []
        for current, prefix in paths:
            for field in current._meta.get_fields():
                if not (field.concrete and field.is_relation and (field.many_to_one or field.one_to_one)):
                    continue
                if field.null or getattr(field, "parent_link", False):
                    continue
                target = field.related_model
                if target is Region:
                    return f"{prefix}{field.name}"
                if target not in seen:
                    seen.add(target)
                    following.append((target, f"{prefix}{field.name}__"))
        paths = following
    return None


class RegionalQuerySet(models.QuerySet):
    """Rows with a `region` field: `visible_to(user)` keeps the user's region's."""

    def visible_to(self, user):
        return self if sees_every_region(user) else self.filter(region=user.region_id)


def region_field(related_name):
    return models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name=related_name,
        verbose_name=_("region"),
    )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """What the reader has not seen: a note folded into its kind's summary counts by that summary."""
        return self.filter(read_at=None, fold="")


class Notification(models.Model):
    """A message to one user (reminder, escalation, review result).

    `key` names the rule and the occasion ('report-due:round-3:measure-12'): a
    notification with the same key is never sent to the same user twice, which
    is what makes `duban tick` safe to run every few minutes.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("user"))
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What the note is about (duban.core.notify.topic: "progress.progressreport:12", "progress.reportinground:3:unit7"):
    # the work whose completion marks it read (settle), and what a newer note about the same thing replaces.
    about = models.CharField(_("about"), max_length=120, blank=True)
    created_at = clock.StampField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("emailed"), default=False)
    # Told about in the daily digest (duban/todo/digest.py) instead of an e-mail of its own.
    digest = models.BooleanField(_("in the daily digest"), default=False)
    digested_at = models.DateTimeField(_("digested at"), null=True, blank=True)
    # The kind of reminder this note is one of, when a person's open reminders of that kind are told by one
    # summary note (duban.core.notify.Fold): the note stays unread while its work is open, the summary counts it.
    fold = models.CharField(_("folded into"), max_length=60, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            # settle(): the unread notifications about one thing, when its work is done.
            models.Index(fields=["about"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread_about"),
            # Fold.refresh(): a person's unread notes of one kind, counted.
            models.Index(fields=["user", "fold"], condition=models.Q(read_at__isnull=True) & ~models.Q(fold=""),
                         name="notification_unread_fold"),
        ]

    def __str__(self):
        return self.subject


class RobotChannel(models.Model):
    """A WeCom (企业微信) or DingTalk (钉钉) group robot that receives a unit's reminders."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("webhook URL"), max_length=500)
    # An office channel (no unit) serves its region's office.
    region = models.ForeignKey(Region, on_delete=models.CASCADE,
                               related_name="robot_channels", verbose_name=_("region"))
    unit = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="robot_channels",
        verbose_name=_("unit"), help_text=_("Empty: the office's channel, which receives escalations."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return self.name


class RobotMessage(models.Model):
    """What was posted to a group robot, once per key, with the answer it got."""

    channel = models.ForeignKey(RobotChannel, on_delete=models.CASCADE, related_name="messages",
                                verbose_name=_("group robot"))
    key = models.CharField(_("key"), max_length=200)
    text = models.TextField(_("text"))
    sent_at = clock.StampField(_("sent at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="robot_message_once_per_key")]


class Throttle(models.Model):
    """Attempts counted per (scope, key) and time window, in the database so every worker shares them
    (duban.core.throttle): the hotline's public form and look-ups per address, the API per token."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("request counter")
        verbose_name_plural = _("request counters")
        # The table keeps the name it had when the hotline alone counted (migrations core 0004, hotline 0010).
        db_table = "hotline_throttle"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="hotline_throttle_once")
        ]
