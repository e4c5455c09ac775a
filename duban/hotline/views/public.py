"""The public pages, without log-in: file a complaint, and look up its status.

Filing is limited per IP address and protected against double submission by
a one-time form token. A look-up needs the tracking code and the mobile
number together; a wrong pair is answered the same way whichever half was
wrong, and repeated failures are refused per IP address and per code.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from duban.core.addresses import client_ip

from .. import flow, uploads
from ..forms import PublicComplaintForm, StatusLookupForm
from ..models import Complaint, Event, normalize_tracking_code
from ..throttle import INTAKE_PER_IP, LOOKUP_FAILURES_PER_CODE, LOOKUP_FAILURES_PER_IP


def refused(request, message):
    return render(request, "hotline/public/refused.html", {"message": message}, status=429)


def receipt(request, complaint, repeated=False):
    return render(request, "hotline/public/receipt.html", {"complaint": complaint, "repeated": repeated})


@login_not_required
@never_cache
@sensitive_post_parameters("contact_name", "mobile")
def complain(request):
    if request.method != "POST":
        form = PublicComplaintForm(initial={"region": request.GET.get("region", "")})
        return render(request, "hotline/public/complain.html", {"form": form})
    if INTAKE_PER_IP.add(client_ip(request) or "unknown") > INTAKE_PER_IP.allowed:
        return refused(request, _("Too many complaints have been sent from your network in the last hour. "
                                  "Please try again later, or call the hotline."))
    form = PublicComplaintForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "hotline/public/complain.html", {"form": form}, status=400)
    token = form.cleaned_data["token"]
    existing = Complaint.objects.filter(form_token=token).first()
    if existing is not None:
        return receipt(request, existing, repeated=True)
    try:
        with transaction.atomic():
            complaint = flow.receive(**form.receive_kwargs(), form_token=token)
            uploads.store(complaint, form.cleaned_data["attachments"])
    except IntegrityError:
        # The same form sent twice at the same moment: the other request filed it.
        existing = Complaint.objects.filter(form_token=token).first()
        if existing is None:
            raise
        return receipt(request, existing, repeated=True)
    return receipt(request, complaint)


# What the business is told: no internal steps such as a unit returning the complaint.
PUBLIC_STATES = {
    Complaint.State.RECEIVED: gettext_lazy("Received: the office will call you"),
    Complaint.State.CONTACTED: gettext_lazy("Being examined by the office"),
    Complaint.State.CLASSIFIED: gettext_lazy("Being examined by the office"),
    Complaint.State.RETURNED: gettext_lazy("Being examined by the office"),
    Complaint.State.ASSIGNED: gettext_lazy("Passed to the unit responsible"),
    Complaint.State.IN_PROGRESS: gettext_lazy("Being handled by the unit responsible"),
    Complaint.State.REPLIED: gettext_lazy("Replied: the office will call you to ask whether you are satisfied"),
    Complaint.State.CLOSED: gettext_lazy("Closed"),
}


@login_not_required
@never_cache
@sensitive_post_parameters("mobile")
def status(request):
    if request.method != "POST":
        return render(request, "hotline/public/status.html", {"form": StatusLookupForm()})
    ip = client_ip(request) or "unknown"
    too_many = _("Too many unsuccessful look-ups. Please try again in an hour, or call the hotline.")
    if LOOKUP_FAILURES_PER_IP.exceeded(ip):
        return refused(request, too_many)
    form = StatusLookupForm(request.POST)
    complaint = None
    if form.is_valid():
        code = normalize_tracking_code(form.cleaned_data["tracking_code"])
        if LOOKUP_FAILURES_PER_CODE.exceeded(code):
            return refused(request, too_many)
        complaint = flow.find_by_code(code, form.cleaned_data["mobile"])
        if complaint is None:
            LOOKUP_FAILURES_PER_CODE.add(code)
    if complaint is None:
        LOOKUP_FAILURES_PER_IP.add(ip)
        return render(request, "hotline/public/status.html", {
            "form": form, "not_found": form.is_valid()}, status=404 if form.is_valid() else 400)
    events = [e for e in complaint.events.select_related("unit") if e.kind in Event.PUBLIC_KINDS]
    return render(request, "hotline/public/status.html", {
        "form": StatusLookupForm(), "complaint": complaint, "events": events,
        "public_state": PUBLIC_STATES[complaint.state],
    })
