"""The plan ledger on the office's to-do page (duban.core.todo): units first seen in an imported plan,
proposals until the office confirms them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import role_of
from duban.core.todo import Entry, counted

from .models import Unit


def tasks(user, today):
    if role_of(user) not in (Role.OFFICE, Role.ADMIN):
        return []
    units = Unit.objects.visible_to(user).filter(confirmed=False)
    return [counted("plans.units", _("Units to confirm"), reverse("plans:unit_list"), units, None,
                    lambda unit: Entry(unit.name, unit.get_absolute_url()), order=40)]
