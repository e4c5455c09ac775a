"""Problems raised on enterprise visits (企业诉求), visits, and the policy library."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from duban.policies.models import Policy
from duban.visits import services
from duban.visits.permissions import scope_problems, scope_visits

from ..auth import require_write
from ..errors import ApiError
from ..scoping import Id, Pages, require_action

router = Router(tags=["enterprise visits and policies"])


class ProblemOut(Schema):
    id: int
    company: str
    visited_on: datetime.date
    category: str
    description: str
    unit: str
    solved_on_spot: bool
    difficulty: str
    state: str
    raised_at: datetime.datetime
    reply_due: datetime.datetime | None
    answer: str
    answered_at: datetime.datetime | None
    answered_on_time: bool | None
    told_at: datetime.datetime | None
    supervised_at: datetime.datetime | None

    @staticmethod
    def resolve_company(obj):
        return obj.visit.company.name

    @staticmethod
    def resolve_visited_on(obj):
        return obj.visit.visited_on

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name


def _problems(request):
    require_action(request, "visits.view")
    queryset = scope_problems(request.user).select_related("visit__company", "unit")
    unit = request.api_token.unit_id
    if unit:
        queryset = queryset.filter(unit=unit)
    return queryset.order_by("-raised_at", "-pk")


@router.get("/visit-problems", response=list[ProblemOut])
@paginate(Pages)
def list_visit_problems(request, state: str | None = None, supervised: bool | None = None):
    queryset = _problems(request)
    if state:
        queryset = queryset.filter(state=state)
    if supervised is not None:
        queryset = queryset.filter(supervised_at__isnull=not supervised)
    return queryset


@router.get("/visit-problems/{problem_id}", response=ProblemOut)
def get_visit_problem(request, problem_id: Id):
    return get_object_or_404(_problems(request), pk=problem_id)


class AnswerIn(Schema):
    answer: str


@router.post("/visit-problems/{problem_id}/answer", response=ProblemOut)
def answer_visit_problem(request, problem_id: Id, payload: AnswerIn):
    """The unit's answer to a problem routed to it (the unit's own systems may send it)."""
    require_write(request)
    require_action(request, "visits.answer_problem")
    from duban.accounts.permissions import can

    problem = get_object_or_404(_problems(request), pk=problem_id)
    if not can(request.user, "visits.answer_problem", problem):
        raise ApiError(404, "not_found", "No such problem.", "没有这个诉求。")
    text = payload.answer.strip()
    if not text or len(text) > 4000:
        raise ApiError(422, "invalid", "answer is required (at most 4000 characters).", "答复必填（最多4000个字符）。")
    try:
        services.answer(problem, request.user, text)
    except services.NotAllowed as exc:
        raise ApiError(409, "conflict", "The problem is not waiting for an answer.", str(exc)) from None
    return _problems(request).get(pk=problem.pk)


class VisitOut(Schema):
    id: int
    company: str
    cadre: str
    visited_on: datetime.date
    people_met: str
    policies: list[str]
    problems: int

    @staticmethod
    def resolve_company(obj):
        return obj.company.name

    @staticmethod
    def resolve_cadre(obj):
        return obj.cadre.display_name()

    @staticmethod
    def resolve_policies(obj):
        return [p.title for p in obj.policies.all()]

    @staticmethod
    def resolve_problems(obj):
        return len(obj.problems.all())


@router.get("/visits", response=list[VisitOut])
@paginate(Pages)
def list_visits(request):
    require_action(request, "visits.view")
    return (scope_visits(request.user).select_related("company", "cadre")
            .prefetch_related("policies", "problems").order_by("-visited_on", "-pk"))


class PolicyOut(Schema):
    id: int
    title: str
    document_number: str
    level: str
    issuer: str
    issued_on: datetime.date
    lead_unit: str
    topic: str
    company_types: str
    materials: list[str]

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.name

    @staticmethod
    def resolve_materials(obj):
        return [m.kind for m in obj.materials.all()]


@router.get("/policies", response=list[PolicyOut])
@paginate(Pages)
def list_policies(request, level: Policy.Level | None = None):
    require_action(request, "policies.view")
    queryset = Policy.objects.visible_to(request.user).select_related("lead_unit").prefetch_related("materials")
    return queryset.filter(level=level) if level else queryset



