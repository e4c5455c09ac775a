from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "duban.policies"
    label = "policies"
    verbose_name = _("policy library")

    def ready(self):
        from duban import audit

        from . import permissions  # noqa: F401 — the rules
        from .models import Explanation, Material, Payout, Policy, Publication

        for model in (Policy, Material, Publication, Explanation, Payout):
            audit.register(model)
