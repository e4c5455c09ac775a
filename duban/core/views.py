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
    from duban.core.notify import read

    mine = request.user.notifications.all()
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    unread_ids = {n.pk for n in page if n.read_at is None}
    groups = {}

    def key(note):
        return note.about or note.url or f"note{note.pk}"

    # A kind's summary (duban.core.notify.Fold) left with one item says that item's subject and links to it: the
    # item's own line stands for both rather than the same line twice.
    items = {(note.subject, note.url): key(note) for note in page if note.fold}
    for note in page:
        alone = note.key.startswith("fold:") and items.get((note.subject, note.url))
        group = groups.setdefault(alone or key(note), {"latest": note, "notes": [], "unread": 0})
        if not alone:
            group["notes"].append(note)
        group["unread"] += note.pk in unread_ids
    for group in groups.values():
        group["latest"] = group["notes"][0] if group["notes"] else group["latest"]
    response = render(request, "core/notifications.html", {"page": page, "groups": list(groups.values()),
                                                           "unread_ids": unread_ids})
    read(request.user.notifications.filter(pk__in=unread_ids), clock.now())
    return response
