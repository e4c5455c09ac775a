"""Dispatch meetings: list, create, the drafted agenda, decisions and minutes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require, scope_for
from duban.plans.choice import chosen_plan, narrow_choices

from . import documents, services
from .agenda import draft_agenda
from .agenda import grouped as agenda_groups
from .agenda import summary as agenda_summary
from .forms import DecisionForm, MeetingForm
from .models import AgendaItem, DispatchMeeting


def visible_meetings(user):
    meetings = DispatchMeeting.objects.all()
    if scope_for(user, "supervision.view_meetings") == "led_areas":
        meetings = meetings.annotate(scope_size=Count("areas")).filter(
            Q(scope_size=0) | Q(areas__chief=user.leader_id)).distinct()
    return meetings


def meeting_list(request):
    require(request.user, "supervision.view_meetings")
    plan = chosen_plan(request)
    meetings = (visible_meetings(request.user).filter(plan=plan).select_related("chair")
                .annotate(items=Count("agenda", distinct=True),
                          actions=Count("agenda__action_items", distinct=True)).order_by("-held_on", "-pk")
                if plan else [])
    form = narrow_choices(MeetingForm(plan=plan), request.user) if plan and can(request.user, "supervision.manage_meetings") else None
    return render(request, "supervision/meeting_list.html", {"plan": plan, "meetings": meetings, "form": form})


@require_POST
def meeting_create(request):
    require(request.user, "supervision.manage_meetings")
    plan = chosen_plan(request)
    if plan is None:
        return redirect("supervision:meetings")
    form = narrow_choices(MeetingForm(request.POST, plan=plan), request.user)
    if not form.is_valid():
        return render(request, "supervision/meeting_list.html", {
            "plan": plan, "meetings": visible_meetings(request.user).filter(plan=plan), "form": form}, status=400)
    meeting = form.save(commit=False)
    meeting.plan, meeting.created_by = plan, request.user
    meeting.save()
    form.save_m2m()
    added = draft_agenda(meeting)
    messages.success(request, _("Meeting created; %(n)d agenda items drafted from the ledger.") % {"n": added})
    return redirect(meeting)


def decision_form(user, item, data=None):
    """An agenda item's decision form, its unit, leader and area choices narrowed to the user's region."""
    return narrow_choices(DecisionForm(data, item=item, prefix=f"item{item.pk}"), user)


def meeting_detail(request, pk):
    meeting = get_in_region_or_404(request.user, DispatchMeeting.objects.select_related("plan", "chair"), pk=pk)
    require(request.user, "supervision.view_meetings", meeting)
    manage = can(request.user, "supervision.manage_meetings")
    agenda = meeting.agenda.select_related("area", "unit", "measure").prefetch_related(
        "action_items__owner_unit", "action_items__leader", "action_items__measure")
    # Each item's decision form is fetched when it is opened (agenda_decision_form); ?decide=<item> renders
    # that one form in the page, for a browser without JavaScript.
    opened = request.GET.get("decide", "")
    rows = [(item, decision_form(request.user, item) if manage and str(item.pk) == opened else None)
            for item in agenda]
    return render(request, "supervision/meeting_detail.html", {
        "meeting": meeting, "rows": rows, "groups": agenda_groups(rows), "manage": manage,
        "areas": list(meeting.areas.all())})


def meeting_summary(request, pk):
    """The agenda on one page for the leader who chairs the meeting: each kind's figures, each unit's items."""
    meeting = get_in_region_or_404(request.user, DispatchMeeting.objects.select_related("plan", "chair"), pk=pk)
    require(request.user, "supervision.view_meetings", meeting)
    items = list(meeting.agenda.select_related("unit").prefetch_related("action_items"))
    return render(request, "supervision/meeting_summary.html", {"meeting": meeting, "total": len(items),
                                                                **agenda_summary(meeting, items)})


@require_POST
def meeting_redraft(request, pk):
    require(request.user, "supervision.manage_meetings")
    meeting = get_in_region_or_404(request.user, DispatchMeeting, pk=pk)
    added = draft_agenda(meeting)
    messages.success(request, _("Agenda redrafted: %(n)d new items.") % {"n": added})
    return redirect(meeting)


def decision_form_view(request, pk, item_pk):
    """An agenda item's decision form, fetched by the meeting page when the item is opened."""
    require(request.user, "supervision.manage_meetings")
    item = get_in_region_or_404(request.user, AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=pk)
    return render(request, "supervision/_decision_form.html", {
        "item": item, "form": decision_form(request.user, item), "meeting": item.meeting})


@require_POST
def decide(request, pk, item_pk):
    require(request.user, "supervision.manage_meetings")
    item = get_in_region_or_404(request.user, AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=pk)
    form = decision_form(request.user, item, data=request.POST)
    if form.is_valid():
        try:
            services.record_decision(item, form.cleaned_data["decision"], form.actions())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    if form.errors:
        return render(request, "supervision/_agenda_item.html",
                      {"item": item, "form": form, "manage": True, "meeting": item.meeting}, status=400)
    if request.headers.get("HX-Request"):
        item.refresh_from_db()
        return render(request, "supervision/_agenda_item.html", {
            "item": item, "form": None, "manage": True, "meeting": item.meeting})
    messages.success(request, _("Decision recorded."))
    return redirect(item.meeting)


@require_POST
def add_item(request, pk):
    require(request.user, "supervision.manage_meetings")
    meeting = get_in_region_or_404(request.user, DispatchMeeting, pk=pk)
    title = request.POST.get("title", "").strip()
    if not title:
        messages.error(request, _("An agenda item needs a title."))
        return redirect(meeting)
    position = meeting.agenda.count() + 1
    AgendaItem.objects.create(meeting=meeting, position=position, kind=AgendaItem.Kind.OTHER, title=title[:300],
                              detail=request.POST.get("detail", ""), drafted=False)
    return redirect(meeting)


def minutes(request, pk):
    meeting = get_in_region_or_404(request.user, DispatchMeeting.objects.select_related("plan", "chair"), pk=pk)
    require(request.user, "supervision.view_meetings", meeting)
    response = HttpResponse(documents.meeting_minutes(meeting),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''minutes-{meeting.held_on:%Y%m%d}.docx"
    return response
