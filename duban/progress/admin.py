from django.contrib import admin

from duban.core.admin import RegionalAdmin, RegionalTabularInline

from .models import Contribution, Evidence, ProgressReport, ReportingRound, ReportVersion


@admin.register(ReportingRound)
class ReportingRoundAdmin(RegionalAdmin):
    list_display = ["title", "plan", "kind", "opened_on", "due_on", "due_provisional"]
    list_filter = ["plan", "kind"]
    readonly_fields = ["due_on", "due_provisional", "opened_at", "opened_by"]


class VersionInline(RegionalTabularInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "submitted_at", "submitted_by", "outcome", "reviewed_by", "review_comment"]
    exclude = ["data", "reviewed_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(RegionalAdmin):
    # Reports change through the review flow (duban.progress.services), not here.
    list_display = ["measure", "round", "status", "progress", "percent", "needs_coordination", "edited_at"]
    list_filter = ["round", "status", "progress", "needs_coordination"]
    list_select_related = ["measure", "round"]
    search_fields = ["measure__text", "done_text", "problems"]
    raw_id_fields = ["measure"]
    inlines = [VersionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A report goes with its round or its measure; alone, it would leave the round's tallies wrong.
        return False


@admin.register(Evidence)
class EvidenceAdmin(RegionalAdmin):
    list_display = ["original_name", "report", "kind", "size", "uploaded_at", "removed_at"]
    list_select_related = ["report__measure", "report__round"]
    readonly_fields = [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Contribution)
class ContributionAdmin(RegionalAdmin):
    list_display = ["report", "unit", "author"]
    list_select_related = ["report__measure", "report__round", "unit", "author"]

