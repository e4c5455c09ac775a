"""The annual assessment: scores with their explanation, the scheme, bonuses and the freeze."""

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require
from duban.plans.choice import chosen_plan, narrow_choices
from duban.plans.models import Plan, Unit

from . import assessment
from .models import AssessmentBonus, AssessmentScheme


class SchemeForm(forms.ModelForm):
    weights = forms.CharField(label=gettext_lazy("Weights (JSON)"), widget=forms.Textarea(attrs={"rows": 8}))

    class Meta:
        model = AssessmentScheme
        fields = ["weights", "deduction_per_overdue", "deduction_per_escalation", "max_bonus"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["weights"] = json.dumps(self.instance.weights, ensure_ascii=False, indent=1)

    def clean_weights(self):
        try:
            weights = json.loads(self.cleaned_data["weights"])
            if not isinstance(weights, dict) or not weights:
                raise ValueError
            weights = {str(k): Decimal(str(v)) for k, v in weights.items()}
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(_('Write the weights as {"on_time_rate": 40, …} with numbers.'))
        if any(v < 0 for v in weights.values()) or sum(weights.values()) != 100:
            raise forms.ValidationError(_("The weights must be positive and add up to 100."))
        return {k: float(v) for k, v in weights.items()}


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
