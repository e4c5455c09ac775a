"""Progress reports and metric values: read within the caller's scope, written by the units that own them."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from duban.accounts.permissions import can
from duban.kpi import services as kpi_services
from duban.kpi.attainment import assess
from duban.kpi.computed import computed_values
from duban.kpi.models import Metric
from duban.kpi.periods import PeriodError, parse_period
from duban.plans.models import Plan
from duban.progress import services as progress_services
from duban.progress.models import EditConflict, ProgressReport, TransitionError

from ..auth import require_write
from ..errors import ApiError
from ..scoping import Id, Pages, measures_for, require_action

router = Router(tags=["progress and metrics"])


class ReportOut(Schema):
    id: int
    round_id: Id
    round: str
    due_on: datetime.date
    measure_id: Id
    measure: str
    status: str
    progress: str
    percent: int
    done_text: str
    problems: str
    needs_coordination: bool
    next_steps: str
    version: int
    review_comment: str
    first_submitted_on: datetime.date | None

    @staticmethod
    def resolve_round(obj):
        return obj.round.title

    @staticmethod
    def resolve_due_on(obj):
        return obj.round.due_on

    @staticmethod
    def resolve_measure(obj):
        return obj.measure.label


class ReportIn(Schema):
    version: int
    progress: ProgressReport.Progress | None = None
    percent: int | None = None
    done_text: str | None = None
    problems: str | None = None
    needs_coordination: bool | None = None
    reason: str | None = None
    next_steps: str | None = None


def _reports(request):
    require_action(request, "progress.view_report")
    queryset = ProgressReport.objects.select_related("round", "measure").order_by("-round__opened_on", "measure")
    return measures_for(request, "progress.view_report", queryset, prefix="measure__")


def _transition_error(exc):
    messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
    return ApiError(409, "not_allowed_now", " ".join(messages), " ".join(messages))


@router.get("/reports", response=list[ReportOut])
@paginate(Pages)
def list_reports(request, round: Id | None = None, measure: Id | None = None, status: str | None = None):
    queryset = _reports(request)
    if round:
        queryset = queryset.filter(round=round)
    if measure:
        queryset = queryset.filter(measure=measure)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request, report_id: Id):
    return get_object_or_404(_reports(request), pk=report_id)


@router.put("/reports/{report_id}", response=ReportOut)
def save_report(request, report_id: Id, payload: ReportIn):
    """Save the draft (or returned) report; `version` must be the one you read, or you get 409 conflict."""
    require_write(request)
    report = get_object_or_404(_reports(request), pk=report_id)
    if not can(request.user, "progress.edit_report", report):
        raise PermissionDenied
    content = payload.dict(exclude={"version"}, exclude_none=True)
    if "percent" in content and not 0 <= content["percent"] <= 100:
        raise ApiError(422, "invalid", "percent must be between 0 and 100.", "完成百分比须在0到100之间。")
    try:
        return progress_services.save_draft(report, request.user, content, payload.version)
    except EditConflict:
        raise ApiError(409, "conflict", "Someone saved this report since you read it; read it again.",
                       "该报告在您读取后已被他人修改，请重新读取。")
    except TransitionError as exc:
        raise _transition_error(exc)


@router.post("/reports/{report_id}/submit", response=ReportOut)
def submit_report(request, report_id: Id):
    require_write(request)
    report = get_object_or_404(_reports(request), pk=report_id)
    if not can(request.user, "progress.submit_report", report):
        raise PermissionDenied
    try:
        progress_services.submit(report, request.user)
    except TransitionError as exc:
        raise _transition_error(exc)
    report.refresh_from_db()
    return report


class ValueOut(Schema):
    period: str
    period_end: datetime.date
    value: Decimal
    note: str


class ComputedValueOut(Schema):
    period: str
    period_end: datetime.date
    value: Decimal
    part: int
    whole: int
    formula: str


class MetricOut(Schema):
    id: int
    plan_id: Id
    area_id: Id | None
    name: str
    unit: str
    direction: str
    target: Decimal
    baseline: Decimal | None
    owner_id: Id | None
    frequency: str
    due: datetime.date
    attainment: str
    rate: Decimal | None
    values: list[ValueOut]
    computed_from: str
    computed_values: list[ComputedValueOut]

    @staticmethod
    def resolve_values(obj):
        return list(obj.values.all())

    @staticmethod
    def resolve_computed_values(obj):
        """What Duban computes itself (the attainment counts these), beside the values the unit reported."""
        return computed_values(obj)

    @staticmethod
    def resolve_attainment(obj):
        return assess(obj, list(obj.values.all())).status

    @staticmethod
    def resolve_rate(obj):
        return assess(obj, list(obj.values.all())).rate


class ValueIn(Schema):
    period: str
    value: Decimal
    note: str = ""


def _metrics(request):
    require_action(request, "kpi.view")
    queryset = Metric.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related(
        "plan", "area").prefetch_related("values")
    unit = request.api_token.unit_id
    return queryset.filter(owner=unit) if unit else queryset


@router.get("/metrics", response=list[MetricOut])
def list_metrics(request, plan: Id | None = None, area: Id | None = None, owner: Id | None = None):
    queryset = _metrics(request)
    for field, value in (("plan", plan), ("area", area), ("owner", owner)):
        if value:
            queryset = queryset.filter(**{field: value})
    return queryset


@router.get("/metrics/{metric_id}", response=MetricOut)
def get_metric(request, metric_id: Id):
    return get_object_or_404(_metrics(request), pk=metric_id)


@router.post("/metrics/{metric_id}/values", response={201: ValueOut})
def report_value(request, metric_id: Id, payload: ValueIn):
    """Report the value for a period (2023-03, 2023-Q3, 2023-H1, 2023 …); reporting it again replaces it."""
    require_write(request)
    metric = get_object_or_404(_metrics(request), pk=metric_id)
    try:
        period = parse_period(payload.period, metric.frequency)
    except PeriodError as exc:
        raise ApiError(422, "invalid_period", str(exc), str(exc))
    entry = kpi_services.report_value(metric, request.user, period, payload.value, payload.note)
    return Status(201, entry)
