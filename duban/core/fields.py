"""Model fields that take their time from the one clock (duban.core.clock), not the machine's.

Django's auto_now / auto_now_add ask django.utils.timezone.now(); a site standing at DUBAN_TODAY
(the demo at 2023-10-20) would then stamp a report version, a notification or a circular with the
machine's date, next to 2023 everywhere else. MomentField is a DateTimeField whose auto_now and
auto_now_add ask clock.now(). It changes nothing in the database, so it deconstructs as Django's
DateTimeField: migrations see the same field, and swapping it in needs none.
"""

from __future__ import annotations

from django.db import models

from . import clock


class MomentField(models.DateTimeField):
    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
