"""The annual assessment: scores with their explanation, the scheme, bonuses and the freeze."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require
from duban.plans.choice import chosen_plan, narrow_choices
from duban.plans.models import Plan, Unit

from . import assessment
from .figures import definition
from .models import AssessmentBonus, AssessmentScheme, default_weights


class SchemeForm(forms.ModelForm):
    """The scheme: one field per weight (named as the figures are), the deductions and the cap on bonuses.

    The weights must add up to 100; the form says by how much they miss.
    """

    class Meta:
        model = AssessmentScheme
        fields = ["deduction_per_overdue", "deduction_per_escalation", "max_bonus"]
        labels = {"deduction_per_overdue": "每项逾期未完成举措扣分", "deduction_per_escalation": "每件督办件扣分",
                  "max_bonus": "创新加分上限"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = {**{k: 0 for k in default_weights()}, **(self.instance.weights or {})}
        fields = {}
        for key, weight in weights.items():
            found = definition(key)
            fields[f"weight_{key}"] = forms.DecimalField(
                label=f"{found.label if found else key}权重", min_value=0, max_value=100, decimal_places=2,
                initial=weight, help_text=found.counts.format(start="年初", end="年末", as_of="考核日")
                if found else "")
        self.fields = {**fields, **self.fields}

    def clean(self):
        data = super().clean()
        weights = {name.removeprefix("weight_"): data.get(name) for name in self.fields if name.startswith("weight_")}
        if any(v is None for v in weights.values()):
            return data
        total = sum(weights.values(), Decimal(0))
        if total != 100:
            raise forms.ValidationError(_("The weights add up to %(total)s; they must add up to 100.")
                                        % {"total": format(total.normalize(), "f")})
        data["weights"] = {k: float(v) for k, v in weights.items() if v}
        return data

    def save(self, commit=True):
        self.instance.weights = self.cleaned_data["weights"]
        return super().save(commit)


class BonusForm(forms.ModelForm):
    class Meta:
        model = AssessmentBonus
        fields = ["unit", "points", "reason", "recognised_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("name")

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points <= 0:
            raise forms.ValidationError(_("A bonus is a positive number of points."))
        return points


def assessment_page(request, plan_id=None):
    require(request.user, "supervision.view_assessment")
    plan = chosen_plan(request, plan_id)
    if plan is None:
        return render(request, "supervision/assessment.html", {"plan": None})
    scheme = assessment.scheme_for(plan)
    manage = can(request.user, "supervision.manage_assessment") and not scheme.frozen_at
    return render(request, "supervision/assessment.html", {
        "plan": plan, "scheme": scheme, "result": assessment.current(plan),
        "scheme_form": SchemeForm(instance=scheme) if manage else None,
        "bonus_form": narrow_choices(BonusForm(), request.user) if manage else None, "bonuses": scheme.bonuses.select_related("unit"),
        "manage": manage,
    })


@require_POST
def scheme_update(request, plan_id):
    require(request.user, "supervision.manage_assessment")
    plan = get_in_region_or_404(request.user, Plan, pk=plan_id)
    scheme = assessment.scheme_for(plan)
    if scheme.frozen_at:
        messages.error(request, _("The assessment is frozen; it can no longer change."))
        return redirect("supervision:assessment", plan_id=plan.pk)
    form = SchemeForm(request.POST, instance=scheme)
    if form.is_valid():
        form.save()
        messages.success(request, _("Scheme saved; scores recomputed."))
        return redirect("supervision:assessment", plan_id=plan.pk)
    return render(request, "supervision/assessment.html", {
        "plan": plan, "scheme": scheme, "result": assessment.current(plan), "scheme_form": form,
        "bonus_form": narrow_choices(BonusForm(), request.user), "bonuses": scheme.bonuses.select_related("unit"), "manage": True}, status=400)


@require_POST
def bonus_add(request, plan_id):
    require(request.user, "supervision.manage_assessment")
    plan = get_in_region_or_404(request.user, Plan, pk=plan_id)
    scheme = assessment.scheme_for(plan)
    form = narrow_choices(BonusForm(request.POST), request.user)
    if scheme.frozen_at:
        messages.error(request, _("The assessment is frozen; it can no longer change."))
    elif form.is_valid():
        bonus = form.save(commit=False)
        bonus.scheme, bonus.created_by = scheme, request.user
        bonus.save()
        messages.success(request, _("Bonus recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("supervision:assessment", plan_id=plan.pk)


@require_POST
def freeze(request, plan_id):
    require(request.user, "supervision.manage_assessment")
    plan = get_in_region_or_404(request.user, Plan, pk=plan_id)
    try:
        assessment.freeze(plan, request.user)
        messages.success(request, _("The assessment is frozen."))
    except ValueError:
        messages.error(request, _("The assessment is already frozen."))
    return redirect("supervision:assessment", plan_id=plan.pk)
