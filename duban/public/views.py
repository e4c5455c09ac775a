"""The public progress page and its open data (no log-in)."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from duban.accounts.permissions import can, get_in_region_or_404, require
from duban.calendar.lights import Light
from duban.core import clock, exports
from duban.plans.models import Plan

from .data import PUBLIC_SECTIONS, measure_rows, open_data, published_areas
from .models import Publication


@login_not_required
def index(request):
    """The published plans; for the office (reached from its menu), also every plan of its region to publish."""
    publications = Publication.objects.filter(published=True).select_related("plan").order_by("-plan__year")
    manageable = None
    if can(request.user, "public.manage"):
        manageable = Plan.objects.visible_to(request.user).select_related("publication").order_by("-year", "-pk")
    return render(request, "public/index.html", {"publications": publications, "manageable": manageable})


def _published(plan_id):
    return get_object_or_404(Publication.objects.select_related("plan"), plan_id=plan_id, published=True)


@login_not_required
def plan_page(request, plan_id):
    publication = _published(plan_id)
    today = clock.today()
    rows = measure_rows(publication, today) if publication.show_measures else []
    counts = {light: sum(1 for r in rows if r["light"] == light) for light in Light.values}
    sections = [s for s in (func(publication, today) for func in PUBLIC_SECTIONS) if s]
    return render(request, "public/plan.html", {
        "publication": publication, "plan": publication.plan, "rows": rows, "counts": counts,
        "lights": Light, "sections": sections, "today": today, "areas": published_areas(publication)})


@login_not_required
def plan_data(request, plan_id, fmt):
    if fmt not in ("json", "csv"):
        raise Http404
    publication = _published(plan_id)
    data = open_data(publication)
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer = exports.csv_writer(response)
        writer.writerow(["领域", "编号", "工作举措", "牵头单位", "完成时限", "完成日期", "状态", "完成百分比", "灯"])
        for row in data["measures"]:
            writer.writerow([row["area"], row["label"], row["text"], "、".join(row["lead_units"]), row["deadline"],
                             row["completed_on"] or "", row["status"], row["percent"], row["light_label"]])
    response["Content-Disposition"] = f"attachment; filename=plan-{plan_id}.{fmt}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["published", "intro", "areas", "show_measures", "show_kpis", "show_complaints"]
        widgets = {"areas": forms.CheckboxSelectMultiple, "intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = self.instance.plan.areas.all()
        self.fields["areas"].required = False


def manage(request, plan_id):
    require(request.user, "public.manage")
    plan = get_in_region_or_404(request.user, Plan, pk=plan_id)
    publication = Publication.objects.get_or_create(plan=plan)[0]
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Publication settings saved."))
        return redirect("public:manage", plan_id=plan.pk)
    return render(request, "public/manage.html", {"plan": plan, "form": form, "publication": publication})
