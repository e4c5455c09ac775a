from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched here but never added to, changed or deleted."""

    list_display = ("at", "username", "action", "model", "object_repr", "ip", "detail")
    list_filter = ("action", "model")
    search_fields = ("username", "object_repr", "object_id", "detail", "ip", "source")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in Entry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
