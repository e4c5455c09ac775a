"""The main navigation: the sections a user may open, and unread notifications (a context processor)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import scope_for

# (section key, label, URL name, the action that opens it)
SECTIONS = [
    ("plans", _("Plans"), "plans:overview", "plan.view"),
    ("measures", _("Measures"), "plans:measure_list", "plan.view"),
    ("progress", _("Progress"), "progress:home", "progress.view_ledger"),
    ("kpi", _("Indicators"), "kpi:dashboard", "kpi.view"),
    ("hotline", _("Complaints"), "hotline:complaint_list", "hotline.view_complaint"),
    ("reviews", _("Service reviews"), "hotline:review_list", "hotline.review_view"),
    ("visits", _("Enterprise visits"), "visits:home", "visits.view"),
    ("policies", _("Policies"), "policies:policy_list", "policies.view"),
    ("meetings", _("Dispatch meetings"), "supervision:meetings", "supervision.view_meetings"),
    ("supervision", _("Supervision"), "supervision:dashboard", "supervision.view_statistics"),
    ("assessment", _("Assessment"), "supervision:assessment_latest", "supervision.view_assessment"),
    ("leaders", _("Leader's page"), "supervision:leaders", "supervision.view_leader_page"),
    ("units", _("Units"), "plans:unit_list", "plan.view"),
    ("calendar", _("Work calendar"), "calendar:year", "calendar.view"),
    ("public", _("Public page"), "public:index", "public.manage"),
]

# Pages whose URL namespace is not their nav section.
NAMESPACE_SECTIONS = {
    ("hotline", "review"): "reviews",
    ("supervision", "meeting"): "meetings", ("supervision", "meetings"): "meetings",
    ("supervision", "agenda"): "meetings", ("supervision", "assessment"): "assessment",
    ("supervision", "leader"): "leaders", ("supervision", "leaders"): "leaders",
    ("supervision", "circular"): "supervision",
}


def section_of(match):
    if match is None:
        return ""
    if match.view_name == "home":
        return "todo"
    if match.namespace == "plans":
        prefix = match.url_name.split("_")[0]
        return {"measure": "measures", "unit": "units"}.get(prefix, "plans")
    return NAMESPACE_SECTIONS.get((match.namespace, (match.url_name or "").split("_")[0]), match.namespace)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [{"key": "todo", "label": _("My work"), "url": reverse("home")}]
    for key, label, url_name, action in SECTIONS:
        if scope_for(user, action) is None:
            continue
        try:
            items.append({"key": key, "label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return {
        "nav_items": items,
        "nav_current": section_of(getattr(request, "resolver_match", None)),
        "unread_notifications": user.notifications.unread().count(),
    }
