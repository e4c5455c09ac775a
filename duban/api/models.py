import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import ALL
from duban.core import clock


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for another system (the 12345 platform, the 好差评 system) or a script.

    The token acts as its user, narrowed further: to one unit's data, or to reading.
    Only a hash is stored; the key is shown once, when the token is created.
    """

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("acts as"))
    unit = models.ForeignKey("plans.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("limited to unit"))
    read_only = models.BooleanField(_("read only"), default=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.StampField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, name, user, unit=None, read_only=True, created_by=None):
        """Create a token; returns (token, key). The key is not stored and cannot be shown again."""
        key = "dbn_" + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, user=user, unit=unit, read_only=read_only, prefix=key[:12],
                                   key_hash=hash_key(key), created_by=created_by)
        return token, key

    @property
    def active(self):
        return self.revoked_at is None and self.user.is_active

    def permission_scope_check(self, user, scope):
        """For permissions.can(): a unit's staff (OWN_UNIT) reach only the tokens that act as themselves."""
        return scope == ALL or self.user_id == user.pk


class WebhookEndpoint(models.Model):
    """A URL that receives Duban's events, signed with HMAC-SHA256 of the body."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON event (signed)")
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    # A region's events go to that region's endpoints only.
    region = models.ForeignKey("core.Region", on_delete=models.CASCADE,
                               related_name="webhook_endpoints", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.JSON)
    secret = models.CharField(_("secret"), max_length=200, blank=True,
                              help_text=_("Signs each delivery (DingTalk: the robot's 加签 secret)."))
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = clock.StampField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event for one endpoint, retried with back-off by `duban tick` until delivered or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (gave up)")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("webhook endpoint"))
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_response_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = clock.StampField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")


class WebhookAttempt(models.Model):
    """The log of every attempt, with the receiver's response code."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log",
                                 verbose_name=_("webhook delivery"))
    at = models.DateTimeField(_("at"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")


class IntakeReference(models.Model):
    """A caller's own reference for something it created: a retried POST finds it instead of creating another."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+", verbose_name=_("API token"))
    kind = models.CharField(_("kind"), max_length=20)
    reference = models.CharField(_("caller's reference"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    created_at = clock.StampField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake reference")
        verbose_name_plural = _("intake references")
        constraints = [models.UniqueConstraint(fields=["token", "kind", "reference"], name="intake_reference_once")]
