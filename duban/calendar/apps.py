from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "duban.calendar"
    label = "calendar"
    verbose_name = _("working-day calendar")
    # Recorded in the audit trail (duban.audit reads this).
    audited: dict[str, dict[str, list[str]]] = {"calendar.Notice": {}, "calendar.Holiday": {}, "calendar.Override": {}}

    def ready(self) -> None:
        from duban.accounts import permissions
        from duban.accounts.models import Role

        from .models import Holiday, Notice, Override
        from .workdays import clear_cache

        # Light counts compare units with one another: for the office and the district leaders.
        permissions.register(
            "calendar.lights",
            {Role.OFFICE: permissions.ALL, Role.ADMIN: permissions.ALL, Role.LEADER: permissions.ALL},
        )

        # The plan ledger's measure list shows each measure's light (plans cannot import the calendar).
        from duban.plans import views as plan_views

        from .lights import Light, annotate_measure_lights

        plan_views.MEASURE_LIGHTS.update(annotate=annotate_measure_lights, light=Light)

        # The engine's arrays are built from these rows: drop them on any change.
        def changed(sender: type, **kwargs: object) -> None:
            clear_cache()

        for model in (Notice, Holiday, Override):
            post_save.connect(changed, sender=model, dispatch_uid=f"calendar-{model.__name__}-saved", weak=False)
            post_delete.connect(changed, sender=model, dispatch_uid=f"calendar-{model.__name__}-deleted", weak=False)
