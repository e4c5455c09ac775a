from django.contrib import admin

from duban.core.admin import RegionalAdmin
from duban.core.models import sees_every_region

from .models import Category, PersonalDataAccess


@admin.register(Category)
class CategoryAdmin(RegionalAdmin):
    """A region's categories, linked to its own areas, leaders and units (RegionalAdmin narrows the choices)."""

    list_display = ("name", "area", "leader", "default_unit", "position", "active")
    list_editable = ("position", "active")
    list_select_related = ("area", "leader", "default_unit")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "area" and not sees_every_region(request.user):
            field.queryset = field.queryset.filter(plan__region=request.user.region_id)
        return field


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: the log of who saw whose personal data."""

    list_display = ("at", "user", "purpose", "complaint", "review", "ip")
    list_filter = ("purpose",)
    search_fields = ("user__username", "complaint__tracking_code")
    list_select_related = ("user", "complaint")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
