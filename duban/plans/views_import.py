"""Importing a plan in the browser: upload, review what was read, correct it, confirm (duban/plans/imports.py).

Only the office (and administrators) may, action "plan.import"; a pending import belongs to the
uploader's region and only that region's office sees it (another region's: 404). Nothing is in the
ledger until the office confirms; the correction form works as a plain form and, with htmx, in place.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import get_in_region_or_404, require

from . import imports
from .importers.items import FIELD_LABELS
from .models import Plan, PlanImport, Region, Unit, sees_every_region
from .units import UnitResolver

NAMES = re.compile(r"[、，,；;\s]+")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Plan file"), help_text=gettext_lazy(
        "The plan as published: PDF, Word (.docx, .doc, .wps), OFD, Excel (.xlsx) or text (.txt)."))
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"), required=False,
        choices=[("", gettext_lazy("Detect it")), ("annex", gettext_lazy("Body items with task-list annexes")),
                 ("prose", gettext_lazy("Prose: numbered items with who does them")),
                 ("table", gettext_lazy("Tables (.xlsx/.docx)"))])


def upload_form(request):
    """The upload form; administrators, who work across regions, also say whose plan it is."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if sees_every_region(request.user):
        form.fields["region"] = forms.ModelChoiceField(
            Region.objects.all(), label=_("Region"), initial=request.user.region_id,
            help_text=_("The region whose plan this is; only that region's office sees the upload."))
    return form


class UnitNamesField(forms.CharField):
    """Unit names separated by 、 or commas, each found in the region's directory (aliases understood) or
    printed elsewhere in the plan (a unit the import will propose); cleaned to the directory's names."""

    def __init__(self, *args, find=None, known=(), **kwargs):
        super().__init__(*args, required=False, **kwargs)
        self.find, self.known = find, set(known)

    def clean(self, value):
        names, unknown = [], []
        for name in filter(None, NAMES.split(super().clean(value) or "")):
            unit = self.find(name) if self.find else None
            if unit is not None:
                name = unit.name
            elif name not in self.known:
                unknown.append(name)
            if name not in names:
                names.append(name)
        if unknown:
            raise ValidationError(_("Not in the unit directory, nor named elsewhere in this plan: %(names)s")
                                  % {"names": "、".join(unknown)})
        return names


class CorrectionForm(forms.Form):
    area_index = forms.TypedChoiceField(label=gettext_lazy("Area"), coerce=int)
    number = forms.RegexField(label=gettext_lazy("Number"), required=False, regex=r"^(\d{1,3}-)?\d{1,4}$",
                              help_text=gettext_lazy("5, or 2-5 for annex 2's item 5"),
                              error_messages={"invalid": gettext_lazy("Write a number: 5, or 2-5.")})
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    ongoing = forms.BooleanField(label=gettext_lazy("Ongoing (no deadline)"), required=False)

    def __init__(self, *args, pending: PlanImport, item: dict, find, **kwargs):
        super().__init__(*args, **kwargs)
        known = {name for i in pending.items for name in i["lead"] + i["cooperating"]}
        self.fields["area_index"].choices = list(enumerate(pending.summary.get("area_names", [])))
        self.fields["lead"] = UnitNamesField(label=_("Lead units"), find=find, known=known,
                                             help_text=_("Separated by 、; another spelling of a unit is understood."))
        self.fields["cooperating"] = UnitNamesField(label=_("Cooperating units"), find=find, known=known)
        for name in ("lead", "cooperating"):
            self.fields[name].widget.attrs["list"] = "unit-names"
        self.order_fields(["area_index", "number", "lead", "cooperating", "deadline", "ongoing"])
        self.initial = {
            "area_index": item["area_index"], "number": item["number"] or "", "lead": "、".join(item["lead"]),
            "cooperating": "、".join(item["cooperating"]), "deadline": item["deadline"], "ongoing": item["ongoing"],
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {"area_index": data["area_index"], "number": data["number"] or None, "lead": data["lead"],
                "cooperating": data["cooperating"],
                "deadline": None if data["ongoing"] or not data["deadline"] else data["deadline"].isoformat(),
                "ongoing": data["ongoing"]}


def _pending(request, pk) -> PlanImport:
    require(request.user, "plan.import")
    pending = get_in_region_or_404(request.user, PlanImport.objects.select_related("uploaded_by", "revises"), pk=pk)
    require(request.user, "plan.import", pending)
    return pending


def import_upload(request):
    require(request.user, "plan.import")
    form = upload_form(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data.get("region")
        try:
            pending = imports.upload(form.cleaned_data["file"], request.user, layout=form.cleaned_data["layout"],
                                     region_id=region.pk if region else request.user.region_id)
        except imports.PlanUploadError as error:
            form.add_error("file", str(error))
        else:
            return redirect(pending)
    if form.errors:
        status = 400
    recent = PlanImport.objects.visible_to(request.user).select_related("uploaded_by", "plan")[:10]
    return render(request, "plans/import_upload.html", {"form": form, "recent": recent}, status=status)


def _groups(pending, items):
    """[(area name, its facts as read, [items])] for every area in the plan's order, those without items too."""
    names = pending.summary.get("area_names", [])
    facts = pending.summary.get("area_facts") or [{} for _name in names]
    by_area: dict[int, list] = {index: [] for index in range(len(names))}
    for item in items:
        by_area.setdefault(item.get("area_index", 0), []).append(item)
    return [(names[index], facts[index], by_area[index]) for index in range(len(names))]


def import_review(request, pk):
    pending = _pending(request, pk)
    items = imports.corrected_items(pending)
    revision = imports.revision_of(pending) if pending.state == PlanImport.State.REVIEW else None
    status_of = {}
    if revision is not None:
        for change in revision.changed:
            change.labels = [str(FIELD_LABELS[name]) for name in change.fields]
        status_of |= {index: "added" for index in revision.added}
        status_of |= {change.index: "changed" for change in revision.changed}
    for item in items:
        item["status"] = status_of.get(item["index"], "")
    ctx = {
        "pending": pending, "summary": pending.summary, "groups": _groups(pending, items), "revision": revision,
        "flagged_count": sum(1 for item in items if item["warnings"]),
        "open": pending.state == PlanImport.State.REVIEW,
        "live_plans": Plan.objects.filter(region=pending.region_id).order_by("-year", "title"),
    }
    return render(request, "plans/import_review.html", ctx)


def _unit_names(region_id):
    names = set()
    for unit in Unit.objects.filter(region=region_id).prefetch_related("aliases"):
        names.add(unit.name)
        names.update(alias.alias for alias in unit.aliases.all())
    return sorted(names)


def import_item(request, pk, index):
    """An item's correction form (GET) and its saving (POST); with htmx the row is swapped in place."""
    pending = _pending(request, pk)
    if not 0 <= index < len(pending.items) or pending.state != PlanImport.State.REVIEW:
        return redirect(pending)
    items = imports.corrected_items(pending)
    item = items[index]
    form = CorrectionForm(request.POST or None, pending=pending, item=item,
                          find=UnitResolver(pending.region_id).find)
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "POST" and form.is_valid():
        imports.correct(pending, index, form.values())
        if htmx:
            item = imports.corrected_items(pending)[index]
            return render(request, "plans/_import_item.html", {"item": item, "pending": pending, "open": True})
        messages.success(request, _("Item %(n)d corrected.") % {"n": index + 1})
        return redirect(f"{reverse('plans:import_review', args=[pending.pk])}#item-{index}")
    ctx = {"pending": pending, "item": item, "form": form, "unit_names": _unit_names(pending.region_id)}
    template = "plans/_import_item_form.html" if htmx else "plans/import_item.html"
    # htmx swaps only 2xx answers: the form with its errors comes back as 200 to it, 400 to a plain POST.
    return render(request, template, ctx, status=400 if form.errors and not htmx else 200)


@require_POST
def import_revises(request, pk):
    """Say which live plan of the region the upload revises (a 修订版 with a new title or number), or none."""
    pending = _pending(request, pk)
    chosen = request.POST.get("revises") or ""
    plan = None
    if chosen:
        plan = Plan.objects.filter(region=pending.region_id, pk=chosen if chosen.isdigit() else 0).first()
        if plan is None:
            messages.error(request, _("No such plan in your region."))
            return redirect(pending)
    try:
        imports.set_revises(pending, plan)
    except imports.PlanUploadError as error:
        messages.error(request, str(error))
    return redirect(pending)


@require_POST
def import_confirm(request, pk):
    pending = _pending(request, pk)
    try:
        summary = imports.confirm(pending, request.user)
    except imports.PlanUploadError as error:
        messages.error(request, str(error))
        return redirect(pending)
    if "revision" in summary:
        messages.success(request, _(
            "The plan is updated: %(added)d measures added, %(changed)d changed, %(removed)d removed, "
            "%(unchanged)d unchanged (their progress kept).") % summary["revision"])
    else:
        messages.success(request, _("The plan is imported: %(areas)d areas, %(measures)d measures.") % summary)
    return redirect(pending.plan)


@require_POST
def import_discard(request, pk):
    pending = _pending(request, pk)
    try:
        imports.discard(pending)
    except imports.PlanUploadError as error:
        messages.error(request, str(error))
        return redirect(pending)
    messages.success(request, _("The upload of %(file)s was discarded; nothing was saved.")
                     % {"file": pending.file_name})
    return redirect("plans:import_upload")
