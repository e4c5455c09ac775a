from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.admin import RegionalAdmin, RegionalTabularInline

from .models import (
    Area,
    Campaign,
    Leader,
    Measure,
    MeasureCooperatingUnit,
    MeasureLeadUnit,
    Milestone,
    Plan,
    Task,
    Unit,
    UnitAlias,
)


class UnitAliasInline(RegionalTabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(RegionalAdmin):
    list_display = ("name", "kind", "confirmed")
    list_filter = ("confirmed", "kind")
    search_fields = ("name", "aliases__alias")
    inlines = [UnitAliasInline]
    actions = ["merge_units", "confirm_units"]

    @admin.action(description=gettext_lazy("Confirm the selected units (proposed by an import)"))
    def confirm_units(self, request, queryset):
        count = queryset.filter(confirmed=False).update(confirmed=True)
        self.message_user(request, _("%(count)s units confirmed.") % {"count": count})

    @admin.action(description=gettext_lazy("Merge the selected units (one unit written several ways)"))
    def merge_units(self, request, queryset):
        from .units import merge_units

        units = list(queryset.order_by("name"))
        if len(units) < 2:
            self.message_user(request, _("Select at least two units to merge."), messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        if keep_id:
            keep = next((u for u in units if str(u.pk) == keep_id), None)
            if keep is None:
                self.message_user(request, _("Choose one of the selected units to keep."), messages.ERROR)
                return None
            merge_units(keep, [u for u in units if u != keep])
            self.message_user(request, _("Merged into %(unit)s; the other names are now its aliases.")
                              % {"unit": keep.name}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/plans/unit/merge.html", {
            **self.admin_site.each_context(request), "units": units, "opts": self.model._meta,
            "title": _("Merge units"), "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(UnitAlias)
class UnitAliasAdmin(RegionalAdmin):
    list_display = ("alias", "unit")
    search_fields = ("alias", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(Leader)
class LeaderAdmin(RegionalAdmin):
    list_display = ("name", "title")
    search_fields = ("name",)


@admin.register(Plan)
class PlanAdmin(RegionalAdmin):
    list_display = ("title", "year", "document_number", "issue_date")


@admin.register(Area)
class AreaAdmin(RegionalAdmin):
    list_display = ("name", "kind", "number", "chief", "plan")
    list_filter = ("plan", "kind")
    search_fields = ("name",)
    autocomplete_fields = ("chief", "responsible_unit", "lead_units", "cooperating_units")


@admin.register(Campaign)
class CampaignAdmin(RegionalAdmin):
    list_display = ("name", "area")
    autocomplete_fields = ("lead_units",)


@admin.register(Task)
class TaskAdmin(RegionalAdmin):
    list_display = ("__str__", "area", "number")
    list_filter = ("area__plan", "area")
    search_fields = ("text",)


class LeadInline(RegionalTabularInline):
    model = MeasureLeadUnit
    extra = 0
    autocomplete_fields = ("unit",)


class CooperatingInline(RegionalTabularInline):
    model = MeasureCooperatingUnit
    extra = 0
    autocomplete_fields = ("unit",)


class MilestoneInline(RegionalTabularInline):
    model = Milestone
    extra = 0


@admin.register(Measure)
class MeasureAdmin(RegionalAdmin):
    list_display = ("number_label", "area", "deadline")
    list_filter = ("plan", "annex", "area")
    search_fields = ("text",)
    inlines = [LeadInline, CooperatingInline, MilestoneInline]

    @admin.display(description=_("number"), ordering="position")
    def number_label(self, measure):
        return measure.label
    raw_id_fields = ("task",)
