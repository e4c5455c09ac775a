"""`duban tick` job "visit-problem-escalations": a visit's problem is chased like a hotline complaint.

For every problem waiting for its unit's answer, with the hotline's windows (duban.hotline.clocks):

- yellow: the answer is due by the next working day: the unit's staff are reminded;
- red: the deadline has passed: the unit head is told, the problem marked overdue;
- supervised case (督办件): still unanswered one working day after the deadline: the office is told,
  the problem goes on the dispatch agenda and into the circular's 督办件, and webhooks hear of it.

Every message and event has a key naming the problem, the step and the deadline, so a second run
sends and records nothing twice.
"""

import collections

from django.db import IntegrityError, transaction
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from duban.core.events import emit
from duban.core.notify import Fold, notify, post_to_robots
from duban.core.tick import job
from duban.hotline import clocks, people

from .models import Problem, ProblemEvent
from .services import problem_payload

# The inbox's summaries (duban.core.notify.Fold): the unit's problems to answer, the office's supervised ones.
TO_ANSWER = Fold("visits-to-answer", ngettext_lazy("%(n)s visit problem to answer", "%(n)s visit problems to answer",
                                                   "n"), reverse_lazy("visits:problem_list"))
SUPERVISED = Fold("visits-supervised", ngettext_lazy("%(n)s visit problem supervised", "%(n)s visit problems supervised",
                                                     "n"), format_lazy("{}?supervised=on&state=routed", reverse_lazy("visits:problem_list")))


def _record_once(key, **fields):
    if ProblemEvent.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            ProblemEvent.objects.create(key=key, **fields)
    except IntegrityError:
        return False
    return True


def check_problem(problem, now, counts):
    due = problem.reply_due
    key = f"visits:problem:{problem.pk}:{timezone.localtime(due):%Y%m%d%H%M}"
    when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    company = problem.visit.company.name
    url = problem.get_absolute_url()
    if now <= due:
        if due <= clocks.yellow_from(timezone.localdate(now), "reply"):
            subject = _("Visit problem of %(company)s: answer by %(due)s") % {"company": company, "due": when}
            sent = notify(people.unit_staff(problem.unit), f"{key}:yellow", subject, problem.description, url,
                          about=problem, fold=TO_ANSWER)
            counts["yellow"] += len(sent)
            if _record_once(f"{key}:yellow", problem=problem, kind=ProblemEvent.Kind.REMINDED, at=now):
                post_to_robots(problem.unit, f"{key}:yellow", subject)
        return
    subject = _("Overdue: the answer to %(company)s's problem was due %(due)s") % {"company": company, "due": when}
    counts["red"] += len(notify(people.unit_heads(problem.unit), f"{key}:red", subject, problem.description, url,
                                    about=problem, fold=TO_ANSWER))
    if _record_once(f"{key}:red", problem=problem, kind=ProblemEvent.Kind.OVERDUE, at=now):
        post_to_robots(problem.unit, f"{key}:red", subject)
    if problem.overdue_at is None:
        problem.overdue_at = now
        problem.save(update_fields=["overdue_at"])
    if now >= clocks.supervise_after(due):
        subject = _("Supervised case (督办件): %(subject)s") % {"subject": subject}
        if problem.supervised_at is None:
            problem.supervised_at = now
            problem.save(update_fields=["supervised_at"])
        if _record_once(f"{key}:supervised", problem=problem, kind=ProblemEvent.Kind.SUPERVISED, at=now):
            emit("visit_problem.escalated", problem_payload(problem), problem.region_id)
            post_to_robots(None, f"{key}:supervised", subject, region_id=problem.region_id)
        counts["supervised"] += len(notify(people.office_staff(problem.region_id), f"{key}:supervised", subject,
                                           problem.description, url, about=problem, fold=SUPERVISED))


@job("visit-problem-escalations", title=gettext_lazy("visit problems' deadlines"))
def escalate(now, region_id=None):
    """Every region's open problems near or past their deadlines (`region_id`: one region's, as a simulated
    district's own day ends — a province's districts, played side by side, never touch each other's)."""
    counts = collections.Counter()
    horizon = clocks.yellow_from(timezone.localdate(now), "reply")
    problems = Problem.objects.open().filter(reply_due__lte=horizon)
    if region_id is not None:
        problems = problems.filter(region=region_id)
    problems = (problems
                .select_related("visit__company", "unit").order_by("reply_due"))
    for problem in problems.iterator(chunk_size=500):
        check_problem(problem, now, counts)
    return _("%(yellow)s reminders, %(red)s overdue notices, %(supervised)s supervised-case notices") % {
        name: counts[name] for name in ("yellow", "red", "supervised")}
