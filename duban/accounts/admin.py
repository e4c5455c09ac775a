from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.admin import RegionalAdmin, SiteWideAdmin
from duban.core.models import sees_every_region
from duban.core.thirdparty import TOTP_FIELDS

from .models import TwoFactorDevice, User


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
class GroupAdmin(PermissionsInWords, SiteWideAdmin, BaseGroupAdmin):
    """Groups are shared by every region's people: only superusers change them."""


@admin.register(User)
class UserAdmin(PermissionsInWords, RegionalAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Duban"), {"fields": ("region", "role", "unit", "leader")}),)
    list_display = ("username", "first_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    autocomplete_fields = ("unit",)

    def get_queryset(self, request):
        # A superuser's account is out of reach of the staff of one region: changing its password or
        # permissions would open every region to them.
        queryset = super().get_queryset(request)
        return queryset if sees_every_region(request.user) else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if sees_every_region(request.user) else [*readonly, "is_superuser"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_every_region(request.user):
            return fieldsets
        # Staff of one region add and edit people of that region only (save_model sets it).
        return [(name, {**options, "fields": tuple(f for f in options["fields"] if f != "region")})
                for name, options in fieldsets]


class TwoFactorDeviceForm(forms.ModelForm):
    class Meta:
        model = TwoFactorDevice
        fields = ("name", "confirmed")
        labels = {name: label for name, (label, _help) in TOTP_FIELDS.items()}
        help_texts = {name: help_text for name, (_label, help_text) in TOTP_FIELDS.items()}


def _column(name):
    @admin.display(description=TOTP_FIELDS[name][0], ordering=name)
    def value(self, device):
        value = getattr(device, name)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return "—" if value is None else value

    return value


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(RegionalAdmin):
    """Two-factor devices in words: enrolled on the two-factor page (duban.accounts.twofactor); here an
    administrator lists them and renames, confirms or deletes one (a lost phone)."""

    form = TwoFactorDeviceForm
    list_display = ("owner", "device_name", "is_confirmed", "added", "last_used")
    search_fields = ("user__username", "name")
    fields = ("owner", "name", "confirmed", "added", "last_used")
    readonly_fields = ("owner", "added", "last_used")
    owner, device_name, is_confirmed = _column("user"), _column("name"), _column("confirmed")
    added, last_used = _column("created_at"), _column("last_used_at")

    def has_add_permission(self, request):
        return False


# django-axes' log-in records name a username, not a region: staff of one region see the records of their
# region's usernames (a failed log-in under a name nobody has is the superusers' to see). axes.admin is
# imported here so that its ModelAdmins are registered before they are replaced (axes comes later in
# INSTALLED_APPS than accounts).
def _regional_axes_admins():
    import axes.admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model, base in ((AccessAttempt, axes.admin.AccessAttemptAdmin), (AccessLog, axes.admin.AccessLogAdmin),
                        (AccessFailureLog, axes.admin.AccessFailureLogAdmin)):
        if not admin.site.is_registered(model):
            continue  # AXES_ENABLE_ADMIN = False

        class RegionalAxesAdmin(RegionalAdmin, base):  # type: ignore[valid-type,misc]
            def region_filter(self, region_id):
                return Q(username__in=User.objects.filter(region=region_id).values("username"))

        RegionalAxesAdmin.__name__ = RegionalAxesAdmin.__qualname__ = f"Regional{base.__name__}"
        admin.site.unregister(model)
        admin.site.register(model, RegionalAxesAdmin)


_regional_axes_admins()
