"""Staff pages for complaints: the list, recording a phone-in, the detail with its steps, attachments, export."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from duban.accounts.permissions import get_in_region_or_404, require
from duban.core import clock, exports
from duban.core.paging import BoundedPaginator
from duban.plans.choice import narrow_choices

from .. import flow, privacy, uploads
from ..filters import filter_complaints
from ..forms import COMPLAINT_STEPS, RecordComplaintForm
from ..models import Attachment, Complaint, PersonalDataAccess
from ..permissions import scope_complaints
from .steps import available, take

PER_PAGE = 50
EXPORT_LIMIT = 20_000


def complaint_list(request):
    require(request.user, "hotline.view_complaint")
    visible = scope_complaints(request.user, "hotline.view_complaint")
    form, complaints = filter_complaints(request.GET, visible, user=request.user)
    page = BoundedPaginator(complaints.select_related("category", "lead_unit"), PER_PAGE).get_page(request.GET.get("page"))
    now = clock.now()
    for complaint in page.object_list:
        complaint.light_now = complaint.light(now)
    ctx = {"form": form, "page": page}
    partial = request.headers.get("HX-Target") == "results" and "HX-History-Restore-Request" not in request.headers
    response = render(request, "hotline/_complaint_results.html" if partial else "hotline/complaint_list.html", ctx)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@sensitive_post_parameters("contact_name", "mobile")
def complaint_record(request):
    """The office records a complaint received by phone, in person or from 12345."""
    require(request.user, "hotline.record_complaint")
    form = narrow_choices(RecordComplaintForm(request.POST or None, request.FILES or None,
                                              region=request.user.region_id), request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            complaint = flow.receive(**form.receive_kwargs(), recorded_by=request.user)
            uploads.store(complaint, form.cleaned_data["attachments"])
        messages.success(request, _("Complaint %(code)s recorded.") % {"code": complaint.formatted_code})
        return redirect(complaint)
    return render(request, "hotline/complaint_form.html", {"form": form}, status=400 if form.errors else 200)


def _complaint(request, pk):
    complaint = get_in_region_or_404(request.user,
        Complaint.objects.select_related("category__area__chief", "category__leader", "lead_unit"), pk=pk)
    require(request.user, "hotline.view_complaint", complaint)
    return complaint


def _render_detail(request, complaint, bound=None, error="", status=200, reason=""):
    steps = available(COMPLAINT_STEPS, complaint, request.user)
    if bound is not None:
        steps = [bound if form.name == bound.name else form for form in steps]
    base = complaint.base_reply_deadline() if complaint.current_step == "reply" else None
    ctx = {
        "complaint": complaint,
        "contact": privacy.contact_of(request, complaint, reason),
        "steps": steps,
        "error": error,
        "events": complaint.events.select_related("actor", "unit"),
        "extensions": complaint.extensions.select_related("requested_by", "decided_by"),
        # Attachments may carry the same personal data: only for those who may see it unmasked.
        "attachments": complaint.attachments.all() if privacy.may_see(request.user, complaint) else [],
        "cooperating_units": complaint.cooperating_units.all(),
        "light": complaint.light(),
        "round_base_due": base.due_at if base and complaint.round else None,
        "provisional": complaint.next_due_provisional,
    }
    return render(request, "hotline/complaint_detail.html", ctx, status=status)


@privacy.no_store
def complaint_detail(request, pk):
    return _render_detail(request, _complaint(request, pk))


@require_POST
@privacy.no_store
def complaint_reveal(request, pk):
    """Show the contact's name and number, once, for a reason the user gives (logged with it)."""
    complaint = _complaint(request, pk)
    return privacy.reveal(request, complaint, lambda **kwargs: _render_detail(request, complaint, **kwargs))


@require_POST
@privacy.no_store
def complaint_step(request, pk, name):
    complaint = _complaint(request, pk)
    return take(request, complaint, COMPLAINT_STEPS, name,
                lambda **kwargs: _render_detail(request, complaint, **kwargs))


@privacy.no_store
def attachment(request, pk):
    item = get_in_region_or_404(request.user, Attachment.objects.select_related("complaint"), pk=pk)
    require(request.user, "hotline.view_complaint", item)
    require(request.user, privacy.ACTION, item.complaint)  # those who see the complaint unmasked only
    return uploads.download(item)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@privacy.no_store
def complaint_export(request):
    """The filtered list as CSV. Names and numbers masked, unless the office asks for them with a reason
    (?personal=1&reason=…): then unmasked where it may see them, and each logged with the reason."""
    require(request.user, "hotline.export_complaints")
    reason = request.GET.get("reason", "").strip()[:300]
    personal = request.GET.get("personal") == "1"
    if personal:
        require(request.user, privacy.EXPORT_ACTION)
        if not reason:
            messages.error(request, _("Say why the export needs the contacts' names and numbers."))
            return redirect(f"{reverse('hotline:complaint_list')}?{request.GET.urlencode()}")
    visible = scope_complaints(request.user, "hotline.export_complaints")
    form, complaints = filter_complaints(request.GET, visible, user=request.user)
    if complaints.count() > EXPORT_LIMIT:
        messages.error(request, _("More than %(limit)d complaints match: narrow the filter to export them.")
                       % {"limit": EXPORT_LIMIT})
        return redirect(f"{reverse('hotline:complaint_list')}?{request.GET.urlencode()}")
    complaints = complaints.select_related("category", "lead_unit").prefetch_related("cooperating_units")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{clock.today():%Y%m%d}.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    writer = exports.csv_writer(response)  # text stays text: no formula runs in the office's spreadsheet
    writer.writerow([
        _("Tracking code"), _("Received at"), _("Channel"), _("Company name"), _("Unified social credit code"),
        _("Contact person"), _("Mobile number"), _("Category"), _("State"), _("Difficulty"), _("Lead unit"),
        _("Cooperating units"), _("Contact due"), _("Contacted at"), _("Reply due"), _("Next deadline"),
        _("First replied at"), _("First reply on time"), _("Satisfied"), _("Times reopened"), _("Supervised case since"),
    ])
    unmasked = []
    yes_no = {True: _("yes"), False: _("no"), None: ""}
    for c in complaints:
        if personal and privacy.may_see(request.user, c):
            name, mobile = c.contact_name, c.mobile
            unmasked.append(c)
        else:
            name, mobile = privacy.mask_name(c.contact_name), privacy.mask_mobile(c.mobile)
        writer.writerow([v for v in [
            c.formatted_code, _when(c.received_at), c.get_channel_display(), c.company_name, c.credit_code, name, mobile,
            c.category.name, c.get_state_display(), c.get_difficulty_display(), c.lead_unit or "",
            "、".join(u.name for u in c.cooperating_units.all()), _when(c.contact_due), _when(c.contacted_at),
            _when(c.reply_due), _when(c.next_due), _when(c.replied_at), yes_no[c.replied_on_time], yes_no[c.satisfied],
            c.reopen_count, _when(c.supervised_at),
        ]])
    privacy.log(request, unmasked, PersonalDataAccess.Purpose.EXPORT, reason)
    return response
