"""我的待办: where everyone's day starts (the site's home page)."""

from django.shortcuts import render

from duban.core import clock
from duban.core.todo import collect, total

from .deadlines import due_in_words


def home(request):
    """What the signed-in person has to do, counted from live data, each with its deadline in working days.

    Every signed-in user may open it: it shows only what that user's own role and unit have to do.
    """
    today = clock.today()
    tasks = collect(request.user, today)
    for task in tasks:
        task.words, task.tone = due_in_words(task.due, today)
        for entry in task.entries:
            entry.words, entry.tone = due_in_words(entry.due, today)
    return render(request, "todo/home.html", {"tasks": tasks, "total": total(tasks), "today": today})
