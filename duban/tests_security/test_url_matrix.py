"""Every URL against every role, from the rules in duban/tests_security/url_rules.py.

A URL pattern without a rule fails (deny by default); so does a rule that
matches no URL. For each covered URL, each role of the cast must get what
accounts.permissions says: allowed → a page (not 403/404, not the log-in page);
forbidden → 403 or 404; signed out → the log-in page unless the URL is public.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import get_resolver, reverse

from duban.accounts import permissions
from duban.tests_security.url_rules import LOGIN, NOBODY, PUBLIC, SIGNED_IN, STAFF, URL_RULES, rule_for

from .conftest import ROLES
from .urlwalk import walk

URLS = list(walk(get_resolver().url_patterns))


def missing_rules(urls):
    """A message per URL pattern that has no rule."""
    return [
        f"URL {url.key!r} (route {url.route!r}, view {url.view_path}) has no rule: add a line for it to "
        f"URL_RULES in duban/tests_security/url_rules.py"
        for url in urls if rule_for(url.key) is None
    ]


def stale_rules(urls):
    keys = [url.key for url in urls]
    return [
        f"URL_RULES entry {key!r} matches no URL pattern: remove it or fix its name"
        for key in URL_RULES
        if not any(k == key or (key.endswith("*") and k.startswith(key[:-1])) for k in keys)
    ]


def test_every_url_has_a_rule():
    problems = missing_rules(URLS)
    assert not problems, "\n".join(problems)


def test_every_rule_names_a_url():
    problems = stale_rules(URLS)
    assert not problems, "\n".join(problems)


@override_settings(ROOT_URLCONF="duban.tests_security.urls_extra")
def test_a_view_without_a_rule_fails_the_matrix():
    urls = list(walk(get_resolver("duban.tests_security.urls_extra").url_patterns))
    assert (
        "URL 'unruled-view' (route 'unruled/', view duban.tests_security.urls_extra.unruled) has no rule: "
        "add a line for it to URL_RULES in duban/tests_security/url_rules.py"
    ) in missing_rules(urls)
    assert not any("unruled" in problem for problem in missing_rules(URLS))


# The matrix -----------------------------------------------------------------


ADMIN_VIEWS = {
    "changelist": "has_view_or_change_permission", "add": "has_add_permission",
    "change": "has_view_or_change_permission", "history": "has_view_or_change_permission",
    "delete": "has_delete_permission",
}


def admin_allows(url, user, path):
    """For the admin's model pages, what the ModelAdmin itself permits (read-only admins refuse "add")."""
    from django.contrib import admin
    from django.test import RequestFactory

    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        view = url.name[len(prefix):] if url.name and url.name.startswith(prefix) else None
        if view in ADMIN_VIEWS:
            request = RequestFactory().get(path)
            request.user = user
            return getattr(model_admin, ADMIN_VIEWS[view])(request)
    return True


# Pages whose URL names something every region shares (a year of the holiday calendar).
SHARED_BY_REGIONS = {"calendar:year"}
# Pages that take the world's plan from the form they post, or the region's latest plan, which the
# neighbour's region does not have: a 404 for its office.
PLAN_OF_THE_REGION = {"progress:export_district", "kpi:values_export", "supervision:meeting_create",
                      "supervision:circular_create"}


def names_an_object(rule, world):
    """Whether the URL being tested points at one of the world's objects (a pk in the path or the query)."""
    if world.url.key in SHARED_BY_REGIONS:
        return False
    if world.url.key in PLAN_OF_THE_REGION:
        return True
    made = rule.kwargs(world) if rule.kwargs else {}
    return bool(rule.obj) or bool(made) and (not isinstance(made, str) or "=" in made)


def expected(rule, user, world):
    """'allowed', 'login' (sent to log in), 'denied', or an HTTP status for signed-out API calls."""
    if rule.access == PUBLIC:
        return "allowed"
    if rule.access == NOBODY:
        return "denied"
    if user is None:
        return "login" if rule.anonymous == LOGIN else rule.anonymous
    if rule.access == SIGNED_IN:
        return "allowed"
    if rule.access == STAFF:
        staff = user.is_active and user.is_staff
        return "allowed" if staff and admin_allows(world.url, user, world.path) else "denied"
    obj = rule.obj(world) if rule.obj else None
    if user.region_id != world.plan.region_id and not user.is_superuser and names_an_object(rule, world):
        # Stated here, not asked of permissions.can: every object of the world is another region's to this
        # user, so a page whose object's region the code cannot tell fails the matrix rather than leaks.
        return "denied"
    if obj is not None:
        return "allowed" if permissions.can(user, rule.access, obj) else "denied"
    return "allowed" if permissions.scope_for(user, rule.access) is not None else "denied"


def outcome(response, url):
    # Signed out, the site's log-in comes first; the admin sends a non-staff user to its own.
    logins = {reverse(settings.LOGIN_URL)}
    if url.key.startswith("admin"):
        logins.add(reverse("admin:login"))
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302) and location.split("?")[0] in logins and "next=" in location:
        # (Logging out also ends on the log-in page, but without a page to come back to.)
        return "login"
    if response.status_code in (403, 404):
        return "denied"
    return "allowed"


def path_for(url, rule, world):
    made = rule.kwargs(world) if rule.kwargs else {}
    if isinstance(made, str):
        return made
    return reverse(url.name, kwargs=made)


@pytest.mark.parametrize("url", [u for u in URLS if rule_for(u.key)], ids=lambda u: f"{u.key} {u.route}")
def test_url_matrix(url, world):
    rule = rule_for(url.key)
    world.url = url
    # Everything the rule needs is made before the first request (World makes objects on first use).
    path = world.path = path_for(url, rule, world)
    if rule.obj:
        rule.obj(world)
    failures = []
    for role in ROLES:
        user = world.cast[role]
        client = Client()
        if user is not None:
            client.force_login(user)
        data = rule.data(world) if rule.data else {}
        headers = rule.headers(world, user) if rule.headers else {}
        extra = {"content_type": rule.content_type} if rule.content_type else {}
        want = expected(rule, user, world)
        # Each role meets the same world: what one role's request changes (a deleted metric, a revoked
        # token, a submitted report) is rolled back before the next.
        with transaction.atomic():
            response = getattr(client, rule.method)(path, data, headers=headers, **extra)
            transaction.set_rollback(True)
        got = response.status_code if isinstance(want, int) else outcome(response, url)
        if rule.access == STAFF and want == "denied" and got == "login":
            got = "denied"  # the admin's way of refusing a signed-in non-staff user
        if got != want:
            failures.append(f"  {role}: expected {want}, got {response.status_code} {response.headers.get('Location', '')}")
    assert not failures, f"{url.key} {rule.method.upper()} {path}:\n" + "\n".join(failures)
