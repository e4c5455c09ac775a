from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from duban.core.admin import RegionalAdmin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(RegionalAdmin):
    """Read-only: the trail can be searched here but never added to, changed or deleted. Staff of one region
    see their region's entries (region_pk: the object's region, else the actor's)."""

    region_lookup = "region_pk"

    list_display = ("at", "username", "action", "kind", "object_repr", "ip", "detail_text")
    list_filter = ("action",)
    search_fields = ("username", "object_repr", "object_id", "detail", "ip", "source")
    date_hierarchy = "at"
    # In words, as on the audit trail's own pages: the kind of object and the changed fields by their names.
    fields = ("at", "username", "action", "ip", "source_code", "kind", "object_repr", "detail_text", "changes")
    readonly_fields = fields

    @admin.display(description=_("source"))
    def source_code(self, entry):
        return format_html("<code>{}</code>", entry.source) if entry.source else "—"

    @admin.display(description=_("kind of object"))
    def kind(self, entry):
        return entry.kind_label()

    @admin.display(description=_("detail"))
    def detail_text(self, entry):
        return entry.detail_in_words()

    @admin.display(description=_("changes"))
    def changes(self, entry):
        return format_html_join("", "<p>{}：<code>{}</code> → <code>{}</code></p>",
                                ((name, "—" if before is None else before, "—" if after is None else after)
                                 for name, before, after in entry.changes()))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
