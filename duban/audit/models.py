"""The audit trail: one append-only row per change, log-in or denial."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock


class ReadOnlyError(Exception):
    """Raised on any attempt to change or delete the audit trail."""


# What a personal-data entry's detail starts with (duban.hotline.privacy writes "view: name, mobile").
PURPOSES = {"view": _("viewed"), "export": _("exported")}


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReadOnlyError("the audit trail cannot be changed")

    def delete(self):
        raise ReadOnlyError("the audit trail cannot be deleted")

    _raw_delete = delete


class Entry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("failed log-in")
        LOCKED_OUT = "locked_out", _("locked out")
        OTP_VERIFIED = "otp_verified", _("two-factor token accepted")
        OTP_FAILED = "otp_failed", _("two-factor token refused")
        DENIED = "denied", _("permission denied")
        OUT_OF_SCOPE = "out_of_scope", _("object outside the user's scope")
        PERSONAL_DATA = "personal_data", _("viewed unmasked personal data")
        COMMAND = "command", _("ran an operations command")

    at = models.DateTimeField(_("time"), default=clock.stamp, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    # Not a foreign key: the trail must outlive the accounts it names, and a
    # deleted user must not cascade into it or be blocked by it.
    user_pk = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    # Whose records these are: the object's region, else the actor's (a plain id: the trail outlives rows).
    region_pk = models.BigIntegerField(_("region id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Request or command."))
    model = models.CharField(_("kind of object"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["model", "object_id"], name="audit_entry_object")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReadOnlyError("the audit trail cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyError("the audit trail cannot be deleted")

    def model_class(self):
        from django.apps import apps

        try:
            return apps.get_model(self.model) if self.model else None
        except (LookupError, ValueError):
            return None

    def kind_label(self):
        """The kind of object in words (投诉), not its code (hotline.complaint)."""
        model = self.model_class()
        return str(model._meta.verbose_name) if model else self.model

    def field_label(self, name):
        model = self.model_class()
        try:
            return str(model._meta.get_field(name).verbose_name) if model else name
        except Exception:  # noqa: BLE001 — a field that is gone since: its stored name
            return name

    def detail_in_words(self):
        """The detail as people read it: "view: name, mobile" → 查看：联系人、手机号码; other details as written."""
        purpose, sep, fields = self.detail.partition(": ")
        names = [f.strip() for f in fields.split(",") if f.strip()]
        if not sep or purpose not in PURPOSES or not names or not all(n.isidentifier() for n in names):
            return self.detail
        labels = [self.field_label(n) for n in names]
        return f"{PURPOSES[purpose]}：{'、'.join(labels)}"

    def changes(self):
        """[(field in words, before, after)] for the entry page."""
        before, after = self.before or {}, self.after or {}
        return [(self.field_label(name), before.get(name), after.get(name))
                for name in dict.fromkeys([*before, *after])]
