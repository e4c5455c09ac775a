from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Duban"), {"fields": ("role", "unit", "leader")}),)
    list_display = ("username", "first_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    autocomplete_fields = ("unit",)
