"""Complainants' and reviewers' names and mobile numbers are personal information (PIPL).

Everyone sees them masked (张**, 138****5678) by default. Those with the right
"hotline.view_personal_data" for the complaint or review — the office, and the
staff of the unit handling it — may reveal them: a click on the page that asks
why (reveal()), and an export asked for with a reason by the office. Every time
they are shown unmasked a PersonalDataAccess row records who, when, from where
and why, and the site's audit trail gets its "personal data" entry. Pages and
files that may carry them are never cached (no_store). Closed complaints lose
them after DUBAN_PERSONAL_DATA_RETENTION_DAYS (anonymise_closed), and so do service reviews whose
rectification and appeal are over, and the review files uploaded that long ago (anonymise_reviews):
two `duban tick` jobs.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_lazy

from duban import audit
from duban.accounts.permissions import can, require
from duban.core.addresses import client_ip
from duban.core.tick import job

from .models import Appeal, Complaint, PersonalDataAccess, Rectification, Review, ReviewImport

ACTION = "hotline.view_personal_data"
EXPORT_ACTION = "hotline.export_personal_data"
DEFAULT_RETENTION_DAYS = 365 * 3


def mask_mobile(mobile):
    mobile = mobile or ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}{'*' * (len(mobile) - 7)}{mobile[-4:]}"


def mask_name(name):
    name = name or ""
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


def may_see(user, obj):
    return can(user, ACTION, obj)


def _fields(obj):
    if isinstance(obj, Complaint):
        return obj.contact_name, obj.mobile
    return obj.reviewer_name, obj.reviewer_mobile


def masked(obj):
    name, mobile = _fields(obj)
    return {"name": mask_name(name), "mobile": mask_mobile(mobile), "masked": True}


def contact_of(request, obj, reason=""):
    """{"name", "mobile", "masked", "may_reveal"} of a complaint or review: masked unless a reason is given by
    someone who may see them, in which case the view is logged with the reason."""
    allowed = may_see(request.user, obj)
    name, mobile = _fields(obj)
    if not (allowed and reason.strip()):
        return masked(obj) | {"may_reveal": allowed and bool(name or mobile)}
    log(request, [obj], PersonalDataAccess.Purpose.VIEW, reason)
    return {"name": name, "mobile": mobile, "masked": False, "may_reveal": True}


def reveal(request, obj, render_detail):
    """The view behind the page's "show name and number" click: render_detail(reason=…) shows them (logged),
    or render_detail(error=…, status=400) when no reason is given."""
    require(request.user, ACTION, obj)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return render_detail(error=gettext("Say why you need the contact's name and number."), status=400)
    return render_detail(reason=reason)


def log(request, objects, purpose, reason=""):
    """One PersonalDataAccess per object (asked per complaint: who saw this number, and why?), and the audit
    trail's entry."""
    ip, path = client_ip(request), request.get_full_path()[:300]
    rows = []
    for obj in objects:
        kind = "complaint" if isinstance(obj, Complaint) else "review"
        rows.append(PersonalDataAccess(user=request.user, purpose=purpose, ip=ip, path=path, reason=reason[:300],
                                       **{kind: obj}))
        audit.record_personal_data_view(request, obj, f"{purpose}: name, mobile — {reason}"[:200])
    PersonalDataAccess.objects.bulk_create(rows, batch_size=1000)


def no_store(view):
    """Responses that may carry personal data are kept by no browser or proxy cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response

    return wrapped


def retention_days():
    return getattr(settings, "DUBAN_PERSONAL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


ANONYMISED_NAME = "（已删除）"


def anonymise_closed(now, batch=2000):
    """Blank the contact's name and number of complaints closed more than the retention period ago.

    Idempotent: a complaint anonymised once is not touched again. Returns how many were anonymised now."""
    cutoff = now - datetime.timedelta(days=retention_days())
    due = list(Complaint.objects.filter(state=Complaint.State.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True)
               .order_by("closed_at")[:batch])
    with transaction.atomic():
        for complaint in due:
            complaint.contact_name, complaint.mobile, complaint.anonymised_at = ANONYMISED_NAME, "", now
            complaint.save(update_fields=["contact_name", "mobile", "anonymised_at"])  # recorded by the audit trail
    return len(due)


@job("hotline-personal-data-retention", title=gettext_lazy("personal data retention"))
def retention(now):
    return gettext("%(n)s closed complaints' personal data removed") % {"n": anonymise_closed(now)}


def anonymise_reviews(now, batch=2000):
    """Blank the reviewer's name and number of reviews given more than the retention period ago, unless their
    rectification is still under way (the office calls the reviewer back) or their appeal undecided; and empty
    the stored file of review imports uploaded that long ago (it holds the same names and numbers; its digest
    stays, so the same file is still recognised).

    Idempotent: a review anonymised once is not touched again. Returns (reviews, files) anonymised now."""
    cutoff = now - datetime.timedelta(days=retention_days())
    due = list(
        Review.objects.filter(reviewed_at__lt=cutoff, anonymised_at__isnull=True)
        .exclude(reviewer_name="", reviewer_mobile="")
        .exclude(rectification__state__in=[Rectification.State.OPEN, Rectification.State.SUBMITTED])
        .exclude(appeal__state=Appeal.State.PENDING)
        .order_by("reviewed_at")[:batch]
    )
    with transaction.atomic():
        for review in due:
            review.reviewer_name, review.reviewer_mobile, review.anonymised_at = ANONYMISED_NAME, "", now
            review.save(update_fields=["reviewer_name", "reviewer_mobile", "anonymised_at"])  # in the audit trail
        files = ReviewImport.objects.filter(uploaded_at__lt=cutoff).exclude(content=b"").update(content=b"")
    return len(due), files


@job("hotline-review-personal-data-retention", title=gettext_lazy("reviewers' personal data retention"))
def review_retention(now):
    reviews, files = anonymise_reviews(now)
    return gettext("%(reviews)s service reviews' personal data removed, %(files)s review files emptied") % {
        "reviews": reviews, "files": files}
