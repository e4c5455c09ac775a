from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What an empty dropdown says, in the user's language, instead of Django's "---------".
EMPTY_CHOICE = _("— choose —")


class CoreConfig(AppConfig):
    name = "duban.core"
    label = "core"
    verbose_name = _("core")
    # Recorded in the audit trail (duban.audit reads this; core imports no app above it).
    audited = {"core.Region": {}, "core.RobotChannel": {"mask": ["url"]}}

    def ready(self):
        from django.contrib import admin

        from .thirdparty import in_words

        blank_choices_in_words()
        in_words()  # django-axes and django-otp in the admin, in Chinese
        admin.site.site_header = admin.site.site_title = _("Duban administration")
        admin.site.index_title = _("Data and settings")


def blank_choices_in_words():
    """Every form's and the admin's empty choice says 请选择, not "---------".

    Django writes the dashes in two defaults: the blank choice of a model field's choices (one list,
    shared by reference, changed here in place) and ModelChoiceField's `empty_label`. A form that
    names its own empty label ("All units") keeps it.
    """
    from django import forms
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
