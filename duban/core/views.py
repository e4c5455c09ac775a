from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def notifications(request):
    """The user's own messages, grouped by what they are about (Notification.about, else their link): the newest of each thing first,
    with how many there were. Opening the page marks those shown read; the work being done marks them read
    too (duban.core.notify.settle)."""
    from django.core.paginator import Paginator
    from django.shortcuts import render

    from duban.core import clock

    mine = request.user.notifications.all()
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    unread_ids = {n.pk for n in page if n.read_at is None}
    groups = {}
    for note in page:
        group = groups.setdefault(note.about or note.url or f"note{note.pk}", {"latest": note, "notes": [], "unread": 0})
        group["notes"].append(note)
        group["unread"] += note.pk in unread_ids
    response = render(request, "core/notifications.html", {"page": page, "groups": list(groups.values()),
                                                           "unread_ids": unread_ids})
    request.user.notifications.filter(pk__in=unread_ids).update(read_at=clock.now())
    return response
