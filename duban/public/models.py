from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock


class Publication(models.Model):
    """What the office publishes of a plan on the public progress page (no log-in)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="publication",
                                verbose_name=_("plan"))
    published = models.BooleanField(_("published"), default=False)
    intro = models.TextField(_("introduction"), blank=True)
    areas = models.ManyToManyField("plans.Area", blank=True, related_name="+", verbose_name=_("areas shown"),
                                   help_text=_("Leave empty to show every area."))
    show_measures = models.BooleanField(_("show measures with status and percent complete"), default=True)
    show_kpis = models.BooleanField(_("show indicator charts"), default=True)
    show_complaints = models.BooleanField(_("show monthly complaint statistics"), default=True)
    updated_at = clock.StampField(auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return str(self.plan)
