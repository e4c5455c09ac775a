from django.contrib import admin
from django.db.models import Q

from duban.core.admin import RegionalAdmin

from .models import Category, PersonalDataAccess


@admin.register(Category)
class CategoryAdmin(RegionalAdmin):
    """A region's categories, linked to its own areas, leaders and units (RegionalAdmin narrows the choices)."""

    list_display = ("name", "area", "leader", "default_unit", "position", "active")
    list_editable = ("position", "active")
    list_select_related = ("area", "leader", "default_unit")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(RegionalAdmin):
    """Read-only: the log of who saw whose personal data, kept to the region of the complaint or review seen."""

    list_display = ("at", "user", "purpose", "complaint", "review", "ip")
    list_filter = ("purpose",)
    search_fields = ("user__username", "complaint__tracking_code")
    list_select_related = ("user", "complaint")

    def region_filter(self, region_id):
        return (Q(complaint__region=region_id) | Q(review__unit__region=region_id)
                | Q(complaint=None, review=None, user__region=region_id))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
