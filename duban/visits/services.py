"""The operations on visits and their problems, shared by the pages, the API, the tests and the simulation.

Permissions are the caller's business (views call `require` first); each
operation runs in one transaction, stores the deadline whose clock it starts,
records a ProblemEvent and tells the people who must act next.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core.events import emit
from duban.core import clock
from duban.core.notify import notify, post_to_robots, settle
from duban.hotline import clocks, people

from .models import Company, Problem, ProblemEvent, Visit

if TYPE_CHECKING:
    from duban.accounts.models import User
    from duban.plans.models import Unit

    from duban.policies.models import Policy


class NotAllowed(Exception):
    """A step the problem's state does not allow."""


@dataclass
class ProblemInput:
    category: str
    description: str
    unit: Unit
    solved_on_spot: bool = False
    difficulty: str = Problem.Difficulty.GENERAL


def problem_payload(problem: Problem) -> dict[str, Any]:
    return {"id": problem.pk, "title": f"{problem.visit.company.name}：{problem.description[:60]}",
            "company": problem.visit.company.name, "category": problem.category, "unit": problem.unit.name,
            "state": problem.state, "reply_due": problem.reply_due.isoformat() if problem.reply_due else None,
            "url": problem.get_absolute_url()}


def route(problem: Problem, at: datetime.datetime | None = None) -> None:
    """Start the answer clock of an unsolved problem (5 or 10 working days, as a complaint's) and tell the unit."""
    at = at or problem.raised_at
    deadline = clocks.reply_deadline(at, problem.difficulty)
    problem.state = Problem.State.ROUTED
    problem.reply_due, problem.reply_due_provisional = deadline.due_at, bool(deadline.provisional)
    problem.save()
    ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.ROUTED, at=at,
                                note=problem.unit.name)
    subject = _("Problem raised on a visit to %(company)s: answer by %(due)s") % {
        "company": problem.visit.company.name, "due": f"{deadline.date:%Y-%m-%d}"}
    key = f"visits:problem:{problem.pk}:routed"
    notify(people.unit_staff(problem.unit), key, subject, problem.description, problem.get_absolute_url(),
           about=problem)
    post_to_robots(problem.unit, key, subject)
    emit("visit_problem.routed", problem_payload(problem), problem.region_id)


@transaction.atomic
def record_visit(*, cadre: User, company: Company, visited_on: datetime.date, people_met: str,
                 policies: Iterable[Policy] = (), notes: str = "", problems: Iterable[ProblemInput] = (),
                 form_token: str | None = None, at: datetime.datetime | None = None) -> Visit:
    """Record a visit with its problems; each unsolved one is routed to its unit at once.

    A form submitted twice (same token) returns the visit the first submission recorded.
    """
    if form_token:
        existing = Visit.objects.filter(form_token=form_token).first()
        if existing:
            return existing
    at = at or clock.now()
    visit = Visit(region_id=company.region_id, cadre=cadre, company=company, visited_on=visited_on,
                  people_met=people_met, notes=notes, recorded_at=at, form_token=form_token)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        if form_token and Visit.objects.filter(form_token=form_token).exists():
            return Visit.objects.get(form_token=form_token)
        raise
    visit.policies.set(policies)
    for item in problems:
        problem = Problem(region_id=visit.region_id, visit=visit, category=item.category,
                          description=item.description, unit=item.unit, solved_on_spot=item.solved_on_spot,
                          difficulty=item.difficulty or Problem.Difficulty.GENERAL, raised_at=at)
        if item.solved_on_spot:
            problem.state = Problem.State.SOLVED_ON_SPOT
            problem.save()
        else:
            route(problem, at)
    return visit


def _locked(problem: Problem) -> Problem:
    fresh = Problem.objects.select_for_update().select_related("visit__company", "visit__cadre", "unit").get(
        pk=problem.pk)
    return fresh


@transaction.atomic
def answer(problem: Problem, user: User, text: str, at: datetime.datetime | None = None) -> Problem:
    """The unit answers; the cadre who raised it is told, so that he can tell the company."""
    problem = _locked(problem)
    if problem.state != Problem.State.ROUTED:
        raise NotAllowed(_("This problem is not waiting for an answer (it is %(state)s).")
                         % {"state": problem.get_state_display()})
    at = at or clock.now()
    problem.answer, problem.answered_at, problem.answered_by = text, at, user
    assert problem.reply_due is not None  # route() set it when the problem became ROUTED
    problem.answered_on_time = at <= problem.reply_due
    problem.state = Problem.State.ANSWERED
    problem.save()
    ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.ANSWERED, at=at, actor=user, note=text)
    settle(problem)  # the unit's "answer by …" reminders and the office's supervised case: answered
    subject = _("%(unit)s answered the problem of %(company)s: tell the company") % {
        "unit": problem.unit.name, "company": problem.visit.company.name}
    notify([problem.visit.cadre], f"visits:problem:{problem.pk}:answered", subject, text, problem.get_absolute_url(),
           about=problem)
    emit("visit_problem.answered", problem_payload(problem), problem.region_id)
    return problem


@transaction.atomic
def tell_company(problem: Problem, user: User, note: str, at: datetime.datetime | None = None) -> Problem:
    """The company has been told the answer (by the cadre or the office): recorded with how it took it."""
    problem = _locked(problem)
    if problem.state != Problem.State.ANSWERED:
        raise NotAllowed(_("The company can be told only once the unit has answered (the problem is %(state)s).")
                         % {"state": problem.get_state_display()})
    at = at or clock.now()
    problem.told_at, problem.told_by, problem.told_note = at, user, note
    problem.state = Problem.State.TOLD
    problem.save()
    ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.TOLD, at=at, actor=user, note=note)
    settle(problem)  # the cadre's "tell the company": told
    return problem


def company_for(region_id: int, name: str, **fields: Any) -> Company:
    """The region's company of this name, created (with `fields`) when new."""
    company, _created = Company.objects.get_or_create(region_id=region_id, name=name.strip(), defaults=fields)
    return company
