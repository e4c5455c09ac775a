from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification, Region, RobotChannel, RobotMessage, sees_every_region


class RegionalAdmin(admin.ModelAdmin):
    """The admin within the staff member's region: rows of other regions are not listed or reachable, and
    what they add belongs to their region (superusers see and choose every region)."""

    region_lookup = "region"  # the path from the model to its region

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_region(request.user):
            return queryset
        return queryset.filter(**{self.region_lookup: request.user.region_id})

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.region_lookup == "region" and not sees_every_region(request.user):
            exclude.append("region")
        return exclude

    def save_model(self, request, obj, form, change):
        if self.region_lookup == "region" and not change and not sees_every_region(request.user):
            obj.region_id = request.user.region_id
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field.queryset, "visible_to"):
            field.queryset = field.queryset.visible_to(request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field.queryset, "visible_to"):
            field.queryset = field.queryset.visible_to(request.user)
        return field


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "office_short_name")
    fields = ("code", "name", "office_name", "office_short")
    search_fields = ("code", "name", "office_name", "office_short")

    @admin.display(description=_("office's short name"))
    def office_short_name(self, region):
        return region.office_short_name

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return sees_every_region(request.user)

    def has_delete_permission(self, request, obj=None):
        return sees_every_region(request.user)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "user", "created_at", "read_at", "emailed")
    list_filter = ("emailed",)
    search_fields = ("subject", "key", "user__username")


@admin.register(RobotChannel)
class RobotChannelAdmin(RegionalAdmin):
    list_display = ("name", "kind", "unit", "active")


@admin.register(RobotMessage)
class RobotMessageAdmin(admin.ModelAdmin):
    list_display = ("channel", "key", "sent_at", "status")
