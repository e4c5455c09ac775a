from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from duban.plans.admin import RegionalAdmin
from duban.plans.models import sees_every_region

from .models import User


VERBS = {"add": _("add"), "change": _("change"), "delete": _("delete"), "view": _("view")}


def permission_in_words(permission):
    """"Can add measure lead unit" (stored in English when the tables were made) → 新增 · 举措牵头单位."""
    model = permission.content_type.model_class()
    verb, _sep, _rest = permission.codename.partition("_")
    if model is None or verb not in VERBS:
        return str(permission)
    return f"{model._meta.app_config.verbose_name} · {VERBS[verb]}{model._meta.verbose_name}"


class PermissionsInWords:
    """The permission lists of users and groups, named in the user's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_in_words
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionsInWords, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PermissionsInWords, RegionalAdmin, BaseUserAdmin):
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
