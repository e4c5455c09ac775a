from contextvars import ContextVar

from django.contrib.auth.models import AbstractUser, UserManager as BaseUserManager
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.models import Region


class Role(models.TextChoices):
    OFFICE = "office", _("business-environment office staff")
    REPORTER = "reporter", _("unit reporter")
    UNIT_HEAD = "unit_head", _("unit head")
    LEADER = "leader", _("district leader / indicator chief")
    COOPERATOR = "cooperator", _("cooperating-unit staff")
    CADRE = "cadre", _("visiting cadre")
    ADMIN = "admin", _("administrator")


# The region `duban createsuperuser --region CODE` chose (Django's command passes only the user's own fields).
superuser_region: ContextVar[Region | None] = ContextVar("superuser_region", default=None)


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`duban createsuperuser`: the account is of the region the command was given, else of a one-region
        site's only region (the one place a region may go unnamed); with several regions, LookupError."""
        if "region" not in extra_fields and "region_id" not in extra_fields:
            extra_fields["region"] = superuser_region.get() or Region.objects.sole()
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person using Duban. Belongs to at most one unit and has one role, and always to one region, which
    whoever creates the account names (no default)."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="users",
        verbose_name=_("region"), help_text=_("The region whose plans, units and complaints this person works on."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    date_joined = models.DateTimeField(_("date joined"), default=clock.stamp)  # the one clock, not the machine's
    unit = models.ForeignKey(
        "plans.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("unit")
    )
    leader = models.ForeignKey(
        "plans.Leader", null=True, blank=True, on_delete=models.SET_NULL, related_name="users",
        verbose_name=_("as leader"), help_text=_("For district leaders: which leader in the plan this account is."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_office(self):
        return self.role in {Role.OFFICE, Role.ADMIN} or self.is_superuser

    def display_name(self):
        return self.get_full_name() or self.username


def office_staff(region_id):
    """The active office staff of a region: who is told what concerns the region's office."""
    return User.objects.filter(role=Role.OFFICE, is_active=True, region=region_id)


class TwoFactorDevice(TOTPDevice):
    """django-otp's TOTP device under a Chinese name, for the admin (duban.core.thirdparty.totp_admin)."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")
