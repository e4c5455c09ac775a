from django.contrib import admin

from .models import Category, PersonalDataAccess


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "leader", "default_unit", "position", "active")
    list_editable = ("position", "active")
    list_select_related = ("area", "leader", "default_unit")


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
