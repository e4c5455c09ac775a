"""Who may open each URL: the table that duban/tests_security/test_url_matrix.py checks.

Every URL pattern of the site must have an entry here; a pattern without one
fails the matrix test with its name (deny by default). One line per URL:

    "progress:report_detail": rule("report.view", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report),

Key: the URL's name with its namespaces ("plans:measure_detail"); for an unnamed
pattern its full route ("admin/(?P<url>.*)$"). A key ending in "*" covers every
name with that prefix ("admin:*"); an exact key wins over a prefix.

rule(access, kwargs=None, obj=None, method="get", data=None, anonymous=LOGIN, headers=None):
  access     an action in accounts.permissions.RULES ("plan.view"), or
             PUBLIC (anyone, signed in or not), SIGNED_IN (any signed-in user),
             STAFF (the Django admin: is_staff users, then the admin's own model permissions)
  kwargs     world → the URL's kwargs (dict), or → a ready path (str, for query strings or
             unnamed patterns). `world` is the matrix test's small data set
             (duban/tests_security/conftest.py); `world.url` is the pattern being tested.
  obj        world → the object whose scope decides, via permissions.can(user, access, obj);
             None: the action alone decides (scope_for(user, access)).
  method     "get" or "post"; data: world → the POST body.
  anonymous  what a signed-out visitor gets: LOGIN (redirect to the log-in page) or a status (401).
  headers    (world, user) → extra request headers, e.g. an API token for that user.

Expected outcome per role (anonymous, office, reporters, unit head, leader,
cooperator, admin): allowed → neither 403 nor 404 nor a log-in redirect;
forbidden → 403 or 404 (STAFF pages: the admin's redirect to its log-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PUBLIC, SIGNED_IN, STAFF = "public", "signed_in", "staff"
LOGIN = "login"


@dataclass(frozen=True)
class Rule:
    access: str
    kwargs: Callable | None = None
    obj: Callable | None = None
    method: str = "get"
    data: Callable | None = None
    anonymous: str | int = LOGIN
    headers: Callable | None = None


def rule(access, kwargs=None, obj=None, method="get", data=None, anonymous=LOGIN, headers=None):
    return Rule(access, kwargs, obj, method, data, anonymous, headers)


def admin_kwargs(world):
    """Kwargs for any Django admin URL, from its name: an existing object of the model when one is needed."""
    from django.apps import apps

    url = world.url
    names = set(url.converters)
    if not names:
        return {}
    if url.name == "admin:app_list":
        return {"app_label": "plans"}
    if url.name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        return {"content_type_id": ContentType.objects.get_for_model(world.plan).pk, "object_id": world.plan.pk}
    # admin:<app>_<model>_<view>: find the model, use its first row (or a missing id, which the admin redirects).
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if url.name.startswith(prefix):
            first = model._default_manager.order_by("pk").first()
            return {"pk" if "pk" in names else "object_id": first.pk if first else 0}
    raise LookupError(f"admin_kwargs: no model for {url.name}")


URL_RULES: dict[str, Rule] = {
    # Site
    "home": rule("plan.view"),
    "login": rule(PUBLIC),
    "logout": rule(SIGNED_IN, method="post"),
    "healthz": rule(PUBLIC),
    # Plan ledger (a published document: every signed-in user reads it)
    "plans:overview": rule("plan.view"),
    "plans:plan_detail": rule("plan.view", lambda w: {"pk": w.plan.pk}),
    "plans:area_detail": rule("plan.view", lambda w: {"pk": w.credit_area.pk}),
    "plans:measure_list": rule("plan.view"),
    "plans:measure_detail": rule("plan.view", lambda w: {"pk": w.scjg_measure.pk}),
    "plans:unit_list": rule("plan.view"),
    "plans:unit_detail": rule("plan.view", lambda w: {"pk": w.units["scjg"].pk}),
    # Working-day calendar
    "calendar:year": rule("calendar.view", lambda w: {"year": 2026} if w.url.converters else {}),
    "calendar:due_week": rule("calendar.view"),
    "calendar:due_soon": rule("calendar.view"),
    "calendar:overdue": rule("calendar.view"),
    "calendar:lights": rule("calendar.lights"),
    # Accounts: two-factor log-in
    "accounts:otp_setup": rule("account.two_factor"),
    "accounts:otp_verify": rule(SIGNED_IN),
    "accounts:otp_disable": rule("account.two_factor", method="post"),
    # Audit trail
    "audit:search": rule("audit.view"),
    "audit:entry": rule("audit.view", lambda w: {"pk": w.audit_entry.pk}),
    # Django admin: staff only, then each ModelAdmin's permissions
    "admin:login": rule(PUBLIC),
    # A signed-in non-staff user posting here is only sent to the admin index (and from there to log in).
    "admin:logout": rule(SIGNED_IN, method="post"),
    "admin:auth_user_password_change": rule(STAFF, lambda w: {"id": w.cast["scjg_reporter"].pk}),
    "admin:autocomplete": rule(STAFF, lambda w: "/admin/autocomplete/?app_label=accounts&model_name=user&field_name=unit"),
    # The admin's catch-all adds a missing slash for staff (and 404s unknown pages).
    "admin/(?P<url>.*)$": rule(STAFF, lambda w: "/admin/plans/plan"),
    "admin:*": rule(STAFF, admin_kwargs),
}


def rule_for(key):
    """The rule for a URL key: exact first, then the longest matching prefix ("admin:*")."""
    if key in URL_RULES:
        return URL_RULES[key]
    prefixes = [k for k in URL_RULES if k.endswith("*") and key.startswith(k[:-1])]
    return URL_RULES[max(prefixes, key=len)] if prefixes else None
