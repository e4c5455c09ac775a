"""The policy library's pages: the library, a policy with its materials, the publication table, the weekly
explanation schedule, payouts, the booklet (print and Word), and the public list with its open data."""

import csv
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require, scope_for
from duban.core import clock
from duban.core.uploads import (
    DOCUMENTS,
    IMAGES,
    UploadRejected,
    save_upload,
    serve_file,
)
from duban.core.models import Region

from . import booklet, publication
from .models import Explanation, Material, Payout, Policy, Publication
from .permissions import policy_scope_q

MAX_MATERIAL_SIZE = 10 * 1024 * 1024


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False,
                              choices=[("", gettext_lazy("All levels"))] + Policy.Level.choices)
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False, max_length=50)
    company_type = forms.CharField(label=gettext_lazy("For companies"), required=False, max_length=50)


def filtered(policies, data):
    form = FilterForm(data)
    if not form.is_valid():
        return policies, form
    d = form.cleaned_data
    if d["q"]:
        policies = policies.filter(title__icontains=d["q"]) | policies.filter(summary__icontains=d["q"])
    if d["level"]:
        policies = policies.filter(level=d["level"])
    if d["topic"]:
        policies = policies.filter(topic__icontains=d["topic"])
    if d["company_type"]:
        policies = policies.filter(company_types__icontains=d["company_type"]) | policies.filter(company_types="")
    return policies.distinct(), form


def _library(user):
    return Policy.objects.visible_to(user)


def policy_list(request):
    require(request.user, "policies.view")
    policies, form = filtered(_library(request.user).select_related("lead_unit"), request.GET)
    return render(request, "policies/policy_list.html", {"policies": policies, "form": form, "nav": "library"})


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["title", "document_number", "level", "issuer", "issued_on", "lead_unit", "topic", "company_types",
                  "summary", "reform", "public", "measures"]
        widgets = {"issued_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), "summary": forms.Textarea(attrs={"rows": 4}),
                   "measures": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from duban.plans.models import Measure, Unit

        self.fields["lead_unit"].queryset = Unit.objects.visible_to(user)
        self.fields["measures"].queryset = Measure.objects.filter(plan__region=user.region_id).select_related("area")
        self.fields["measures"].required = False


def policy_new(request):
    require(request.user, "policies.manage")
    form = PolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        policy = form.save(commit=False)
        policy.region_id = form.cleaned_data["lead_unit"].region_id
        policy.save()
        form.save_m2m()
        messages.success(request, _("Policy added to the library."))
        return redirect(policy)
    return render(request, "policies/policy_form.html", {"form": form, "nav": "new"})


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Material.Kind.choices)
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=20000)
    file = forms.FileField(label=gettext_lazy("File"), required=False,
                           help_text=gettext_lazy("PDF, Word, Excel or an image, at most 10 MB."))

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("file"):
            raise forms.ValidationError(_("Give the material as a text or a file."))
        return data


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["material", "channel", "outlet", "url", "published_on"]
        widgets = {"published_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = policy.materials.all()


def policy_detail(request, pk):
    policy = get_in_region_or_404(request.user, Policy.objects.select_related("lead_unit"), pk=pk)
    require(request.user, "policies.view", policy)
    [row] = publication.policy_rows(Policy.objects.filter(pk=policy.pk))
    may_edit = can(request.user, "policies.materials", policy)
    return render(request, "policies/policy_detail.html", {
        "policy": policy, "row": row, "may_edit": may_edit,
        "material_form": MaterialForm() if may_edit else None,
        "publication_form": PublicationForm(policy=policy) if may_edit else None,
        "payouts": policy.payouts.all() if can(request.user, "policies.payouts", policy) else None,
        "measures": policy.measures.select_related("area"), "nav": "library"})


@require_POST
def material_add(request, pk):
    policy = get_in_region_or_404(request.user, Policy, pk=pk)
    require(request.user, "policies.materials", policy)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            material, _created = Material.objects.get_or_create(policy=policy, kind=d["kind"])
            material.text = d["text"] or material.text
            material.added_by, material.added_at = request.user, clock.now()
            if d["file"]:
                try:
                    stored = save_upload(d["file"], "policies", allowed=DOCUMENTS | IMAGES,
                                         max_size=MAX_MATERIAL_SIZE)
                except UploadRejected as exc:
                    transaction.set_rollback(True)
                    messages.error(request, exc.message)
                    return redirect(policy)
                material.file, material.original_name = stored.name, stored.original_name
                material.content_type = stored.content_type
            material.save()
        messages.success(request, _("%(kind)s saved.") % {"kind": material.get_kind_display()})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(policy)


@require_POST
def publication_add(request, pk):
    policy = get_in_region_or_404(request.user, Policy, pk=pk)
    require(request.user, "policies.materials", policy)
    form = PublicationForm(request.POST, policy=policy)
    if form.is_valid():
        form.save()
        messages.success(request, _("Publication recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    return redirect(policy)


def material_file(request, pk):
    material = get_in_region_or_404(request.user, Material.objects.select_related("policy"), pk=pk)
    require(request.user, "policies.view", material)
    if not material.file:
        raise Http404
    return serve_file(material.file.name, material.original_name, material.content_type or None)


def publication_table(request):
    require(request.user, "policies.publication")
    scope = scope_for(request.user, "policies.publication")
    policies = Policy.objects.filter(policy_scope_q(request.user, scope))
    today = clock.today()
    rows = publication.policy_rows(policies, today)
    year = _year(request, today)
    weeks = publication.weekly_schedule(request.user.region_id, year, today)
    return render(request, "policies/publication.html", {
        "groups": publication.by_lead_unit(rows), "kinds": Material.Kind, "year": year, "weeks": weeks,
        "missed": [w for w in weeks if w.status == "missed"], "grace": publication.GRACE_WORKDAYS,
        "lacking": sum(1 for r in rows if r.light != "green"), "total": len(rows), "nav": "publication"})


def _year(request, today):
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return year if 2000 <= year <= 2199 else today.year


class ExplanationForm(forms.ModelForm):
    class Meta:
        model = Explanation
        fields = ["week", "policy", "held_on", "where"]
        widgets = {"week": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), "held_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["policy"].queryset = Policy.objects.visible_to(user)

    def clean_week(self):
        week = self.cleaned_data["week"]
        return publication.monday_of(week)

    def validate_unique(self):
        pass  # one row per week: an existing week is updated (see schedule())


def schedule(request):
    require(request.user, "policies.schedule")
    today = clock.today()
    form = ExplanationForm(request.POST or None, user=request.user,
                           initial={"week": publication.monday_of(today), "held_on": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        Explanation.objects.update_or_create(
            region_id=request.user.region_id, week=d["week"],
            defaults={"policy": d["policy"], "held_on": d["held_on"], "where": d["where"]})
        messages.success(request, _("The week of %(week)s is recorded.") % {"week": f"{d['week']:%Y-%m-%d}"})
        return redirect("policies:schedule")
    year = _year(request, today)
    weeks = publication.weekly_schedule(request.user.region_id, year, today)
    return render(request, "policies/schedule.html", {
        "form": form, "weeks": weeks, "year": year, "missed": [w for w in weeks if w.status == "missed"],
        "done": sum(w.status == "done" for w in weeks), "nav": "schedule"})


class PayoutForm(forms.ModelForm):
    class Meta:
        model = Payout
        fields = ["policy", "mode", "company_name", "credit_code", "amount", "applied_on", "paid_on",
                  "through_platform"]
        widgets = {"applied_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                   "paid_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.filter(
            policy_scope_q(user, scope_for(user, "policies.payouts")))


def payouts(request):
    require(request.user, "policies.payouts")
    scope = scope_for(request.user, "policies.payouts")
    policies = list(Policy.objects.filter(policy_scope_q(request.user, scope)).select_related("lead_unit"))
    form = None
    if can(request.user, "policies.manage"):
        form = PayoutForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Payout recorded."))
            return redirect("policies:payouts")
    return render(request, "policies/payouts.html", {
        "figures": publication.payout_figures(policies), "form": form, "nav": "payouts"})


def booklet_page(request):
    require(request.user, "policies.view")
    policies, form = filtered(_library(request.user), request.GET)
    return render(request, "policies/booklet.html", {
        "sections": booklet.sections(policies), "today": clock.today(), "form": form})


def booklet_docx(request):
    require(request.user, "policies.view")
    policies, _form = filtered(_library(request.user), request.GET)
    response = HttpResponse(booklet.docx_bytes(booklet.sections(policies), clock.today()),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = "attachment; filename=policy-booklet.docx"
    return response


# --- public -----------------------------------------------------------------


def _region(code):
    """The region whose public policies are asked for (by its code, as in the public page's links)."""
    return get_object_or_404(Region, code=code)


@login_not_required
def public_list(request, region):
    region = _region(region)
    policies, form = filtered(publication.published_policies(region.pk).select_related("lead_unit")
                              .prefetch_related("materials__publications"), request.GET)
    return render(request, "policies/public_list.html", {"region": region, "policies": policies, "form": form})


@login_not_required
def public_material(request, region, pk):
    region = _region(region)
    material = get_object_or_404(Material, pk=pk, policy__region=region.pk, policy__public=True)
    if not material.file:
        raise Http404
    return serve_file(material.file.name, material.original_name, material.content_type or None)


def open_rows(region_id):
    rows = []
    policies = publication.published_policies(region_id).select_related("lead_unit").prefetch_related(
        "materials__publications")
    for policy in policies:
        materials = {m.kind: m for m in policy.materials.all()}
        rows.append({
            "title": policy.title, "document_number": policy.document_number, "level": policy.level,
            "level_label": policy.get_level_display(), "issuer": policy.issuer,
            "issued_on": policy.issued_on.isoformat(), "lead_unit": policy.lead_unit.name, "topic": policy.topic,
            "company_types": policy.company_types, "summary": policy.summary,
            "materials": {kind: [{"channel": p.channel, "outlet": p.outlet, "url": p.url,
                                  "published_on": p.published_on.isoformat()} for p in m.publications.all()]
                          for kind, m in materials.items()},
        })
    return rows


@login_not_required
def public_data(request, region, fmt):
    if fmt not in ("json", "csv"):
        raise Http404
    region = _region(region)
    rows = open_rows(region.pk)
    if fmt == "json":
        response = JsonResponse({"generated": datetime.date.isoformat(clock.today()), "policies": rows},
                                json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        kinds = list(Material.Kind)
        writer.writerow(["政策名称", "文号", "层级", "发文单位", "发布日期", "牵头单位", "主题", "适用企业"]
                        + [f"{publication.KIND_NAMES[k]}发布" for k in kinds])
        for row in rows:
            writer.writerow([row["title"], row["document_number"], row["level_label"], row["issuer"],
                             row["issued_on"], row["lead_unit"], row["topic"], row["company_types"]]
                            + ["；".join(f"{p['outlet']} {p['published_on']}" for p in row["materials"].get(k, []))
                               for k in kinds])
    response["Content-Disposition"] = f"attachment; filename=policies-{region.code}.{fmt}"
    response["Access-Control-Allow-Origin"] = "*"
    return response

