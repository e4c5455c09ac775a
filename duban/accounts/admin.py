from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from duban.core.admin import RegionalAdmin
from duban.core.models import sees_every_region

from .models import User


@admin.register(User)
class UserAdmin(RegionalAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Duban"), {"fields": ("region", "role", "unit", "leader")}),)
    list_display = ("username", "first_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    autocomplete_fields = ("unit",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_every_region(request.user):
            return fieldsets
        # Staff of one region add and edit people of that region only (save_model sets it).
        return [(name, {**options, "fields": tuple(f for f in options["fields"] if f != "region")})
                for name, options in fieldsets]
