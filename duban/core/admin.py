from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Notification, Region, RobotChannel, RobotMessage, region_path, sees_every_region


def region_choices(queryset, user):
    """A form's choices of a related model kept to the user's region (every region for superusers)."""
    if sees_every_region(user):
        return queryset
    path = region_path(queryset.model)
    return queryset if path is None else queryset.filter(**{path: user.region_id})


class RegionChoices:
    """Foreign-key and many-to-many choices of the user's region only, so that staff cannot attach a row to
    another region's object; for ModelAdmins and their inlines alike (a choice outside the queryset fails
    the form's validation, whatever the widget — select, autocomplete or raw id)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = region_choices(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = region_choices(field.queryset, request.user)
        return field


class RegionalTabularInline(RegionChoices, admin.TabularInline):
    pass


class RegionalAdmin(RegionChoices, admin.ModelAdmin):
    """The admin within the staff member's region: rows of other regions are not listed or reachable, and
    what they add belongs to their region (superusers see and choose every region).

    The rows are kept by `region_lookup`, the path from the model to its region, found by
    duban.core.models.region_path unless given; a model whose rows belong to a region another way
    overrides `region_filter`. List filters on related objects offer only the objects of the rows listed,
    so that they name nothing of another region; the region filter itself is dropped."""

    region_lookup: str | None = None

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if self.region_lookup is None:
            self.region_lookup = region_path(model)
        if self.region_lookup is None and type(self).region_filter is RegionalAdmin.region_filter:
            raise ImproperlyConfigured(f"{model._meta.label} has no path to a region: give region_lookup "
                                       "or override region_filter")

    def region_filter(self, region_id):
        return Q(**{self.region_lookup: region_id})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_region(request.user):
            return queryset
        return queryset.filter(self.region_filter(request.user.region_id))

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if sees_every_region(request.user):
            return filters
        kept = []
        for entry in filters:
            if isinstance(entry, str):
                field = get_fields_from_path(self.model, entry)[-1]
                if field.is_relation:
                    if field.related_model is Region:
                        continue  # one region: nothing to filter by
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            kept.append(entry)
        return kept

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.region_lookup == "region" and not sees_every_region(request.user):
            exclude.append("region")
        return exclude

    def save_model(self, request, obj, form, change):
        if self.region_lookup == "region" and not change and not sees_every_region(request.user):
            obj.region_id = request.user.region_id
        super().save_model(request, obj, form, change)


class SiteWideAdmin(admin.ModelAdmin):
    """A model shared by every region (the holiday calendar, permission groups): staff of one region may look,
    only superusers change it, since a change reaches the other regions too (their deadlines, their people)."""

    def has_add_permission(self, request, *args):
        return sees_every_region(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return sees_every_region(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return sees_every_region(request.user) and super().has_delete_permission(request, obj)


@admin.register(Region)
class RegionAdmin(RegionalAdmin):
    """Staff see their own region only and may name its office (the letterhead of its circulars); its code and
    name, and adding and deleting regions, are the superusers' (a province's operators): a region's code keys its
    data in exports and the API, and its name stands in every page and document of the region."""

    list_display = ("code", "name", "office_short_name")
    fields = ("code", "name", "office_name", "office_short")
    search_fields = ("code", "name", "office_name", "office_short")

    @admin.display(description=_("office's short name"))
    def office_short_name(self, region):
        return region.office_short_name

    def get_readonly_fields(self, request, obj=None):
        if sees_every_region(request.user):
            return ()
        return ("code", "name")

    def has_add_permission(self, request):
        return sees_every_region(request.user)

    def has_delete_permission(self, request, obj=None):
        return sees_every_region(request.user)


@admin.register(Notification)
class NotificationAdmin(RegionalAdmin):
    list_display = ("subject", "user", "created_at", "read_at", "emailed")
    list_filter = ("emailed",)
    search_fields = ("subject", "key", "user__username")


@admin.register(RobotChannel)
class RobotChannelAdmin(RegionalAdmin):
    list_display = ("name", "kind", "unit", "active")


@admin.register(RobotMessage)
class RobotMessageAdmin(RegionalAdmin):
    list_display = ("channel", "key", "sent_at", "status")
