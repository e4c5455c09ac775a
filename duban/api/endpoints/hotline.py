"""Complaints forwarded from the 12345 platform, reviews from the service-review system, and reading both."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from duban.hotline import flow, reviews
from duban.hotline.forms import RecordComplaintForm
from duban.hotline.models import Category, Complaint, Review
from duban.hotline.permissions import scope_complaints, scope_reviews
from duban.hotline.privacy import contact_of

from ..auth import require_write
from ..errors import ApiError
from ..models import IntakeReference
from ..scoping import Id, Pages, require_action

router = Router(tags=["complaints and reviews"])


class ComplaintIn(Schema):
    reference: str  # the caller's own number (12345 work order): a retried POST never creates a duplicate
    category: str  # a category's name, as on the public form
    company_name: str
    credit_code: str = ""
    contact_name: str
    mobile: str
    description: str
    received_at: datetime.datetime | None = None


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    channel: str
    external_ref: str
    category: str
    company_name: str
    contact_name: str
    mobile: str
    state: str
    difficulty: str
    lead_unit: str | None
    received_at: datetime.datetime
    next_due: datetime.datetime | None
    replied_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.name if obj.lead_unit else None

    @staticmethod
    def resolve_contact_name(obj, context):
        return _contact(context["request"], obj)["name"]

    @staticmethod
    def resolve_mobile(obj, context):
        return _contact(context["request"], obj)["mobile"]


def _contact(request, obj):
    """Masked, unless the call gives ?personal_data_reason=… and the token's user may see them (logged once per
    complaint and call, with the reason)."""
    cache = request.__dict__.setdefault("_duban_contacts", {})
    if obj.pk not in cache:
        cache[obj.pk] = contact_of(request, obj, request.GET.get("personal_data_reason", "")[:300])
    return cache[obj.pk]


def _complaints(request):
    require_action(request, "hotline.view_complaint")
    queryset = scope_complaints(request.user, "hotline.view_complaint").select_related("category", "lead_unit")
    unit = request.api_token.unit_id
    if unit:
        queryset = queryset.filter(lead_unit=unit)
    return queryset.order_by("-received_at")


@router.get("/complaints", response=list[ComplaintOut])
@paginate(Pages)
def list_complaints(request, state: str | None = None):
    queryset = _complaints(request)
    return queryset.filter(state=state) if state else queryset


@router.get("/complaints/{complaint_id}", response=ComplaintOut)
def get_complaint(request, complaint_id: Id):
    return get_object_or_404(_complaints(request), pk=complaint_id)


def _existing(request, kind, reference):
    found = IntakeReference.objects.filter(token=request.api_token, kind=kind, reference=reference).first()
    return found.object_id if found else None


@router.post("/complaints", response={200: ComplaintOut, 201: ComplaintOut})
def create_complaint(request, payload: ComplaintIn):
    """File a complaint forwarded from another platform. The same `reference` again returns the first one (200)."""
    require_write(request)
    require_action(request, "hotline.record_complaint")
    reference = payload.reference.strip()
    if not reference or len(reference) > 64:
        raise ApiError(422, "invalid", "reference is required (at most 64 characters).", "reference 必填（最多64个字符）。")
    existing = _existing(request, "complaint", reference)
    if existing:
        return Status(200, Complaint.objects.select_related("category", "lead_unit").get(pk=existing))
    category = Category.objects.filter(region=request.user.region_id, name=payload.category.strip(), active=True).first()
    form = RecordComplaintForm(region=request.user.region_id, data={
        "company_name": payload.company_name, "credit_code": payload.credit_code, "contact_name": payload.contact_name,
        "mobile": payload.mobile, "category": category.pk if category else "", "description": payload.description,
        "channel": Complaint.Channel.PLATFORM_12345, "external_ref": reference,
        "received_at": timezone.localtime(payload.received_at).strftime("%Y-%m-%dT%H:%M") if payload.received_at else "",
    })
    if not form.is_valid():
        details = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        if not category:
            details["category"] = [f"unknown category {payload.category!r}"]
        raise ApiError(422, "invalid", "The complaint is not valid; see details.", "投诉内容不符合要求，详见 details。",
                       details)
    try:
        with transaction.atomic():
            complaint = flow.receive(**form.receive_kwargs(), recorded_by=request.user)
            IntakeReference.objects.create(token=request.api_token, kind="complaint", reference=reference,
                                           object_id=complaint.pk)
    except IntegrityError:
        # A concurrent retry of the same POST won the race: answer with its complaint.
        existing = _existing(request, "complaint", reference)
        if not existing:
            raise
        return Status(200, Complaint.objects.select_related("category", "lead_unit").get(pk=existing))
    return Status(201, complaint)


class ReviewIn(Schema):
    reference: str
    unit: str  # the unit's name (or an alias)
    matter: str
    level: int  # 5 非常满意 … 1 非常不满意
    reviewed_at: datetime.datetime
    window: str = ""
    comment: str = ""
    reviewer_name: str = ""
    reviewer_mobile: str = ""
    channel: Review.Channel = Review.Channel.ONLINE


class BulkResult(Schema):
    created: int
    already_known: int


@router.post("/reviews/bulk", response=BulkResult)
def create_reviews(request, payload: list[ReviewIn]):
    """Reviews from the service-review platform, all or nothing; references already imported are skipped."""
    require_write(request)
    require_action(request, "hotline.review_manage")
    from duban.plans.units import UnitResolver

    region_id = request.user.region_id  # the token's user's region: its units, its reviews
    resolver = UnitResolver(region_id)
    errors, rows = {}, []
    for index, item in enumerate(payload):
        problems = []
        unit = resolver.find(item.unit)
        if unit is None:
            problems.append(f"unknown unit {item.unit!r}")
        if item.level not in Review.Level.values:
            problems.append("level must be 1 to 5")
        if not item.reference.strip() or len(item.reference) > 64:
            problems.append("reference is required (at most 64 characters)")
        if problems:
            errors[str(index)] = problems
        rows.append((item, unit))
    if errors:
        raise ApiError(422, "invalid", "Some reviews are not valid; nothing was saved. See details (by position).",
                       "部分评价不符合要求，均未保存。详见 details（按序号）。", errors)
    created = known = 0
    with transaction.atomic():
        for item, unit in rows:
            if Review.objects.with_references([item.reference], region_id).exists():
                known += 1
                continue
            fields = dict(unit=unit, window=item.window, matter=item.matter, level=item.level, comment=item.comment,
                          reviewer_name=item.reviewer_name, reviewer_mobile=item.reviewer_mobile,
                          channel=item.channel, reviewed_at=item.reviewed_at, external_ref=item.reference)
            try:
                Review(**fields).full_clean(exclude=["entered_by", "batch"], validate_unique=False)
            except ValidationError as exc:
                transaction.set_rollback(True)
                raise ApiError(422, "invalid", f"Review {item.reference} is not valid; nothing was saved.",
                               f"评价 {item.reference} 不符合要求，均未保存。", exc.message_dict)
            reviews.record(entered_by=request.user, **fields)
            created += 1
    return {"created": created, "already_known": known}


class ReviewOut(Schema):
    id: int
    unit: str
    window: str
    matter: str
    level: int
    bad: bool
    reviewed_at: datetime.datetime
    reference: str

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_bad(obj):
        return obj.is_bad

    @staticmethod
    def resolve_reference(obj):
        return obj.external_ref


@router.get("/reviews", response=list[ReviewOut])
@paginate(Pages)
def list_reviews(request):
    require_action(request, "hotline.review_view")
    queryset = scope_reviews(request.user, "hotline.review_view").select_related("unit").order_by("-reviewed_at")
    if request.api_token.unit_id:
        queryset = queryset.filter(unit=request.api_token.unit_id)
    return queryset


