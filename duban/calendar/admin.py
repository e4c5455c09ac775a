from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from duban.core.admin import RegionalAdmin, SiteWideAdmin
from duban.core.models import region_path

from . import deadlines
from .models import DeadlineChange, Holiday, Notice, Override


class HolidayFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        # The notice may not be saved yet; its days need its region to be validated.
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]  # Django's, not in django-stubs
        form.instance.region = self.instance.region
        return form

    def clean(self) -> None:
        super().clean()
        dates = [f.cleaned_data["date"] for f in self.forms if f.cleaned_data.get("date") and not f.cleaned_data.get("DELETE")]
        repeated = sorted({day for day in dates if dates.count(day) > 1})
        if repeated:
            raise ValidationError(_("Each date once: %(dates)s.") % {"dates": ", ".join(str(day) for day in repeated)})


class HolidayInline(admin.TabularInline):
    model = Holiday
    formset = HolidayFormSet
    fields = ("date", "kind", "name")
    extra = 0


@admin.register(Notice)
class NoticeAdmin(SiteWideAdmin):
    """The calendar is the nation's and provinces' (calendar region codes, not Duban's regions), shared by every
    region on the site: only superusers change it."""

    list_display = ("title", "region", "year", "published_on", "holiday_count", "workday_count", "source")
    list_filter = ("region",)
    search_fields = ("title", "source")
    inlines = [HolidayInline]
    actions = ["recompute_deadlines"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notice]:
        return super().get_queryset(request).annotate(
            holidays=Count("days", filter=Q(days__kind=Holiday.Kind.HOLIDAY)),
            workdays=Count("days", filter=Q(days__kind=Holiday.Kind.WORKDAY)),
        )

    @admin.display(description=_("days off"), ordering="holidays")
    def holiday_count(self, notice: Notice) -> int:
        return notice.holidays  # type: ignore[attr-defined]  # get_queryset's annotation

    @admin.display(description=_("adjusted working days"), ordering="workdays")
    def workday_count(self, notice: Notice) -> int:
        return notice.workdays  # type: ignore[attr-defined]  # get_queryset's annotation

    @admin.action(description=_("Recompute stored deadlines after changing the calendar"), permissions=["change"])
    def recompute_deadlines(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        years = ", ".join(str(y) for y in sorted(queryset.values_list("year", flat=True)))
        changes = deadlines.recompute(reason=f"admin: calendar {years} changed by {request.user}")
        self.message_user(
            request,
            ngettext("%(count)d stored deadline moved.", "%(count)d stored deadlines moved.", len(changes))
            % {"count": len(changes)},
            messages.SUCCESS,
        )


@admin.register(Override)
class OverrideAdmin(SiteWideAdmin):
    list_display = ("date", "kind", "reason", "region")
    list_filter = ("region", "kind")
    search_fields = ("reason",)
    date_hierarchy = "date"


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(RegionalAdmin):
    """The deadlines `duban calendar recompute` moved; staff of one region see their region's rows' changes."""

    list_display = ("changed_at", "model", "object_id", "field", "old_value", "new_value", "provisional", "reason")
    list_filter = ("model", "field", "provisional")
    search_fields = ("object_id", "reason")

    def region_filter(self, region_id: int) -> Q:
        # model + object_id name the row: a change is the region's when its row is.
        kept = Q(pk__in=[])
        for entry in deadlines.registered():
            path = region_path(entry.model)
            if path is None:
                continue
            rows = entry.model._default_manager.filter(**{path: region_id})
            kept |= Q(model=entry.model._meta.label,
                      object_id__in=rows.annotate(key=Cast("pk", CharField())).values("key"))
        return kept

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DeadlineChange | None = None) -> bool:
        return False
