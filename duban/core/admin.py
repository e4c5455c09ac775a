from django.contrib import admin

from duban.plans.admin import RegionalAdmin

from .models import Notification, RobotChannel, RobotMessage


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
