from django.http import Http404
from django.shortcuts import redirect, render

from duban.accounts.permissions import get_in_region_or_404, require, scope_for
from duban.calendar.lights import ORDER
from duban.core import clock
from duban.plans.models import Leader

from .leader import area_lights, led_areas, next_meeting_items, sections


def leader_index(request):
    """A leader goes straight to their own page; the office picks a leader."""
    require(request.user, "supervision.view_leader_page")
    if scope_for(request.user, "supervision.view_leader_page") != "all":
        if not request.user.leader_id:
            return render(request, "supervision/leader_index.html", {"leaders": []})
        return redirect("supervision:leader", leader_id=request.user.leader_id)
    leaders = Leader.objects.visible_to(request.user).filter(areas__isnull=False).distinct().order_by("name")
    return render(request, "supervision/leader_index.html", {"leaders": leaders})


def leader_page(request, leader_id):
    require(request.user, "supervision.view_leader_page")
    leader = get_in_region_or_404(request.user, Leader, pk=leader_id)
    if scope_for(request.user, "supervision.view_leader_page") != "all" and request.user.leader_id != leader.pk:
        raise Http404
    today = clock.today()
    areas = list(led_areas(leader))
    meeting, open_items = next_meeting_items(areas, today)
    return render(request, "supervision/leader.html", {
        "leader": leader, "today": today, "rows": area_lights(areas, today), "order": ORDER,
        "meeting": meeting, "open_items": open_items, "sections": sections(leader, areas, today)})
