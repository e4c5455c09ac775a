"""Which plan a page shows: the one every plan-wide page (progress, KPIs, supervision) asks."""

from django.http import Http404

from duban.accounts.permissions import get_in_region_or_404

from .models import Plan


def plans_for(user):
    """The plans a user's pages offer: their region's, newest first."""
    return Plan.objects.visible_to(user).order_by("-year", "-pk")


def chosen_plan(request, plan_id=None):
    """The plan named by `plan_id` or ?plan= (404 if it is not in the user's region), else the user's latest
    (None when their region has no plan yet)."""
    plan_id = plan_id or request.GET.get("plan") or request.POST.get("plan")
    if plan_id:
        if not str(plan_id).isdigit():
            raise Http404
        return get_in_region_or_404(request.user, Plan, pk=plan_id)
    return plans_for(request.user).first()


def narrow_choices(form, user):
    """Offer only the user's region's plans, units and leaders in a form's choice fields (and accept only them)."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(user)
    return form
