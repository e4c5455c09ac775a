from django.contrib import admin

from duban.core.admin import RegionalAdmin, RegionalTabularInline

from .models import Company, Problem, Visit, VisitAssignment


@admin.register(Company)
class CompanyAdmin(RegionalAdmin):
    list_display = ("name", "credit_code", "street", "company_type")
    list_filter = ("region", "street")
    search_fields = ("name", "credit_code")
    list_select_related = ("street",)


@admin.register(VisitAssignment)
class VisitAssignmentAdmin(RegionalAdmin):
    list_display = ("year", "cadre", "company", "visit_by")
    list_filter = ("year", "region")
    search_fields = ("company__name", "cadre__username")
    list_select_related = ("cadre", "company")
    raw_id_fields = ("cadre", "company")


class ProblemInline(RegionalTabularInline):
    model = Problem
    extra = 0
    fields = ("category", "description", "unit", "solved_on_spot", "state", "reply_due")
    readonly_fields = ("state", "reply_due")


@admin.register(Visit)
class VisitAdmin(RegionalAdmin):
    """Visits are recorded on the site (the problems' deadlines start there); the admin reads them."""

    list_display = ("visited_on", "company", "cadre", "people_met")
    list_filter = ("region",)
    search_fields = ("company__name", "cadre__username")
    list_select_related = ("company", "cadre")
    inlines = [ProblemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
