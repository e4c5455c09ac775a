"""Staff pages for service reviews: list, entry, detail with rectification steps, bulk import."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.permissions import get_in_region_or_404, require
from duban.core import clock
from duban.core.paging import BoundedPaginator
from duban.plans.choice import narrow_choices

from .. import privacy, reviews
from .. import review_import as importer
from ..filters import filter_reviews
from ..forms import REVIEW_STEPS, ReviewForm, ReviewImportForm
from ..models import Review, ReviewImport
from ..permissions import scope_reviews
from .steps import available, take

PER_PAGE = 50


@privacy.no_store
def review_list(request):
    require(request.user, "hotline.review_view")
    form, found = filter_reviews(request.GET, scope_reviews(request.user, "hotline.review_view"),
                                 user=request.user)
    found = found.select_related("unit", "rectification", "appeal")
    page = BoundedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    now = clock.now()
    for review in page.object_list:
        rectification = getattr(review, "rectification", None)
        review.light_now = rectification.light(now) if rectification else ""
    return render(request, "hotline/review_list.html", {"form": form, "page": page})


def review_new(request):
    require(request.user, "hotline.review_manage")
    form = narrow_choices(ReviewForm(request.POST or None), request.user)
    if request.method == "POST" and form.is_valid():
        review = reviews.record(entered_by=request.user, **form.cleaned_data)
        if review.is_bad:
            messages.warning(request, _("A bad review: a rectification is open, due %(due)s.")
                             % {"due": timezone.localtime(review.rectification.due_at).strftime("%Y-%m-%d %H:%M")})
        else:
            messages.success(request, _("Review recorded."))
        return redirect(review)
    return render(request, "hotline/review_form.html", {"form": form}, status=400 if form.errors else 200)


def _review(request, pk):
    review = get_in_region_or_404(request.user, Review.objects.select_related("unit", "entered_by", "batch"), pk=pk)
    require(request.user, "hotline.review_view", review)
    return review


def _render_detail(request, review, bound=None, error="", status=200, reason=""):
    steps = available(REVIEW_STEPS, review, request.user)
    if bound is not None:
        steps = [bound if form.name == bound.name else form for form in steps]
    rectification = getattr(review, "rectification", None)
    ctx = {
        "review": review,
        "reviewer": privacy.contact_of(request, review, reason),
        "rectification": rectification,
        "appeal": getattr(review, "appeal", None),
        "events": rectification.events.select_related("actor", "unit") if rectification else [],
        "light": rectification.light() if rectification else "",
        "steps": steps,
        "error": error,
    }
    return render(request, "hotline/review_detail.html", ctx, status=status)


@privacy.no_store
def review_detail(request, pk):
    return _render_detail(request, _review(request, pk))


@require_POST
@privacy.no_store
def review_reveal(request, pk):
    """Show the reviewer's name and number, once, for a reason the user gives (logged with it)."""
    review = _review(request, pk)
    return privacy.reveal(request, review, lambda **kwargs: _render_detail(request, review, **kwargs))


@require_POST
@privacy.no_store
def review_step(request, pk, name):
    review = _review(request, pk)
    return take(request, review, REVIEW_STEPS, name, lambda **kwargs: _render_detail(request, review, **kwargs))


def review_import(request):
    """Upload an export; it is checked (a dry run) and shown before anything is imported."""
    require(request.user, "hotline.review_manage")
    form = ReviewImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB; split it into several files."))
        else:
            batch = importer.import_file(upload.read(), upload.name, request.user, dry_run=True)
            return redirect(batch)
    recent = ReviewImport.objects.visible_to(request.user).select_related("uploaded_by")[:10]
    return render(request, "hotline/review_import.html", {"form": form, "recent": recent},
                  status=400 if form.errors else 200)


@privacy.no_store
def review_import_detail(request, pk):
    require(request.user, "hotline.review_manage")
    batch = get_in_region_or_404(request.user, ReviewImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "hotline/review_import_detail.html", {"batch": batch})


@require_POST
def review_import_confirm(request, pk):
    require(request.user, "hotline.review_manage")
    batch = get_in_region_or_404(request.user, ReviewImport, pk=pk)
    try:
        importer.confirm(batch, request.user)
    except importer.ReviewImportError as error:
        messages.error(request, str(error))
        return redirect(batch)
    if batch.state == ReviewImport.State.IMPORTED:
        messages.success(request, _("%(count)d reviews imported.") % {"count": batch.row_count})
    else:
        messages.error(request, _("The file no longer passes the checks; nothing was imported."))
    return redirect(batch)
