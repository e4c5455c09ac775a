"""Who may open each URL: the table that duban/tests_security/test_url_matrix.py checks.

Every URL pattern of the site must have an entry here; a pattern without one
fails the matrix test with its name (deny by default). One line per URL:

    "progress:report_detail": rule("report.view", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report),

Key: the URL's name with its namespaces ("plans:measure_detail"); for an unnamed
pattern its full route ("admin/(?P<url>.*)$"). A key ending in "*" covers every
name with that prefix ("admin:*"); an exact key wins over a prefix.

rule(access, kwargs=None, obj=None, method="get", data=None, anonymous=LOGIN, headers=None, content_type=None):
  access     an action in accounts.permissions.RULES ("plan.view"), or
             PUBLIC (anyone, signed in or not), SIGNED_IN (any signed-in user),
             STAFF (the Django admin: is_staff users, then the admin's own model permissions),
             NOBODY (a pattern that answers 404 to everyone, signed in or not)
  kwargs     world → the URL's kwargs (dict), or → a ready path (str, for query strings or
             unnamed patterns). `world` is the matrix test's small data set
             (duban/tests_security/conftest.py); `world.url` is the pattern being tested.
  obj        world → the object whose scope decides, via permissions.can(user, access, obj);
             None: the action alone decides (scope_for(user, access)).
  method     "get", "post" or "put"; data: world → the request body.
  anonymous  what a signed-out visitor gets: LOGIN (redirect to the log-in page) or a status (401).
  headers    (world, user) → extra request headers, e.g. an API token for that user (API below).
  content_type  of the body, e.g. JSON (the REST API): `data` is then sent encoded as JSON.

Each role's request is rolled back after it, so every role meets the same world.

Expected outcome per role (anonymous, office, reporters, unit head, leader,
cooperator, admin): allowed → neither 403 nor 404 nor a log-in redirect;
forbidden → 403 or 404 (STAFF pages: the admin's redirect to its log-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PUBLIC, SIGNED_IN, STAFF, NOBODY = "public", "signed_in", "staff", "nobody"
LOGIN = "login"
JSON = "application/json"


@dataclass(frozen=True)
class Rule:
    access: str
    kwargs: Callable | None = None
    obj: Callable | None = None
    method: str = "get"
    data: Callable | None = None
    anonymous: str | int = LOGIN
    headers: Callable | None = None
    content_type: str | None = None


def rule(access, kwargs=None, obj=None, method="get", data=None, anonymous=LOGIN, headers=None, content_type=None):
    return Rule(access, kwargs, obj, method, data, anonymous, headers, content_type)


def api(access, kwargs=None, obj=None, method="get", data=None):
    """A REST API endpoint (/api/v1/): each user calls it with their own token; without one, 401."""
    return rule(access, kwargs, obj, method, data, anonymous=401, headers=lambda w, user: w.bearer(user),
                content_type=JSON if data else None)


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


def admin_object_path(world):
    """For the admin's unnamed "<app>/<model>/<object_id>/" patterns (a redirect to the change page)."""
    from django.apps import apps

    route = world.url.route
    app_label, model_name = route.split("/")[1:3]
    first = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
    return "/" + route.replace("<path:object_id>", str(first.pk if first else 0))


def _ledger(world):
    from duban.progress.ledger import Ledger

    return Ledger(world.units["scjg"])


def _plan_import(w):
    from duban.plans.tests.factories import url_matrix_plan_import

    return url_matrix_plan_import(w)


def _kpi(w):
    from duban.kpi.tests.factories import url_matrix_objects

    return url_matrix_objects(w)


COMPLAINT_IN = {
    "reference": "12345-MATRIX-0001", "category": "拖欠中小企业账款", "company_name": "测试区青云电子科技有限公司",
    "credit_code": "91350100M000100Y43", "contact_name": "王小明", "mobile": "13812345678",
    "description": "区某单位拖欠货款18万元。",
}
REVIEW_IN = {"reference": "HCP-MATRIX-1", "unit": "区市场监管局", "matter": "营业执照", "level": 5,
             "reviewed_at": "2026-09-01T10:00:00+08:00"}


URL_RULES: dict[str, Rule] = {
    # Site
    "home": rule(SIGNED_IN),  # 我的待办: each user's own work
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
    # Importing a plan in the browser: the office's pending import of a small prose plan (another region's: 404)
    "plans:import_upload": rule("plan.import"),
    "plans:import_review": rule("plan.import", lambda w: {"pk": _plan_import(w).pk}, obj=_plan_import),
    "plans:import_item": rule("plan.import", lambda w: {"pk": _plan_import(w).pk, "index": 0}, obj=_plan_import),
    "plans:import_revises": rule("plan.import", lambda w: {"pk": _plan_import(w).pk}, obj=_plan_import,
                                 method="post", data=lambda w: {"revises": w.plan.pk}),
    "plans:import_confirm": rule("plan.import", lambda w: {"pk": _plan_import(w).pk}, obj=_plan_import,
                                 method="post"),
    "plans:import_discard": rule("plan.import", lambda w: {"pk": _plan_import(w).pk}, obj=_plan_import,
                                 method="post"),
    # Working-day calendar
    "calendar:year": rule("calendar.view", lambda w: {"year": 2026} if w.url.converters else {}),
    "calendar:due_week": rule("calendar.view"),
    "calendar:due_soon": rule("calendar.view"),
    "calendar:overdue": rule("calendar.view"),
    "calendar:lights": rule("calendar.lights"),
    "notifications": rule(SIGNED_IN),  # each user's own
    # Progress reports: 1-1's report (区市场监管局 leads, 区发改委 cooperates, in 胡海's area)
    "progress:home": rule("progress.view_ledger"),
    "progress:matrix": rule("progress.view_matrix"),
    "progress:export_district": rule("progress.view_matrix"),
    "progress:unit_ledger": rule("progress.view_ledger", lambda w: {"pk": w.units["scjg"].pk}, obj=_ledger),
    "progress:export_unit": rule("progress.export_ledger", lambda w: {"pk": w.units["scjg"].pk}, obj=_ledger),
    "progress:round_open": rule("progress.open_round"),
    "progress:round_detail": rule("progress.view_report", lambda w: {"pk": w.round.pk}, obj=lambda w: w.round),
    "progress:report_detail": rule("progress.view_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report),
    "progress:report_edit": rule("progress.edit_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report),
    "progress:report_autosave": rule("progress.edit_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report,
                                     method="post", data=lambda w: {
                                         "version": w.report.version, "progress": "in_progress", "percent": 50,
                                         "done_text": "系统已上线试运行。"}),
    "progress:report_request_approval": rule("progress.edit_report", lambda w: {"pk": w.report.pk},
                                             obj=lambda w: w.report, method="post"),
    "progress:report_submit": rule("progress.submit_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report,
                                   method="post"),
    "progress:report_review": rule("progress.review_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report,
                                   method="post", data=lambda w: {"decision": "accept"}),
    "progress:report_compare": rule("progress.view_report", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report),
    "progress:contribution_save": rule("progress.contribute", lambda w: {"pk": w.report.pk}, obj=lambda w: w.report,
                                       method="post", data=lambda w: {"text": "区发改委已协调资金。"}),
    "progress:evidence_download": rule("progress.download_evidence", lambda w: {"pk": w.evidence.pk},
                                       obj=lambda w: w.evidence),
    "progress:evidence_remove": rule("progress.edit_report", lambda w: {"pk": w.evidence.pk}, obj=lambda w: w.evidence,
                                     method="post"),
    # Indicator targets (lines from the KPI engineer)
    "kpi:dashboard": rule("kpi.view"),
    "kpi:area_detail": rule("kpi.view", lambda w: {"pk": w.credit_area.pk}),
    "kpi:metric_detail": rule("kpi.view", lambda w: {"pk": _kpi(w).metric.pk}),
    "kpi:metric_report": rule("kpi.report", lambda w: {"pk": _kpi(w).metric.pk}, obj=lambda w: _kpi(w).metric,
                              method="post", data=lambda w: {"period": f"{w.plan.year}-Q2", "value": "150"}),
    "kpi:metric_new": rule("kpi.manage", lambda w: f"/kpi/metrics/new/?plan={w.plan.pk}"),
    "kpi:metric_edit": rule("kpi.manage", lambda w: {"pk": _kpi(w).metric.pk}),
    "kpi:metric_delete": rule("kpi.manage", lambda w: {"pk": _kpi(w).metric.pk}, method="post"),
    "kpi:value_correct": rule("kpi.correct", lambda w: {"pk": _kpi(w).value.pk}),
    "kpi:value_evidence": rule("kpi.view", lambda w: {"pk": _kpi(w).value.pk}, obj=lambda w: _kpi(w).metric),
    "kpi:proposal_list": rule("kpi.manage"),
    "kpi:proposal_confirm": rule("kpi.manage", lambda w: {"pk": _kpi(w).proposal.pk}),
    "kpi:proposal_discard": rule("kpi.manage", lambda w: {"pk": _kpi(w).proposal.pk}, method="post"),
    "kpi:proposal_reopen": rule("kpi.manage", lambda w: {"pk": _kpi(w).proposal.pk}, method="post"),
    "kpi:values_import": rule("kpi.import"),
    "kpi:values_export": rule("kpi.export"),
    # Hotline: a complaint assigned to 区市场监管局 (区发改委 cooperating, category in 胡海's area); a bad review of it
    "hotline:public_complain": rule(PUBLIC),
    "hotline:public_status": rule(PUBLIC),
    "hotline:complaint_list": rule("hotline.view_complaint"),
    "hotline:complaint_record": rule("hotline.record_complaint"),
    "hotline:complaint_export": rule("hotline.export_complaints"),
    "hotline:complaint_detail": rule("hotline.view_complaint", lambda w: {"pk": w.complaint.pk},
                                     obj=lambda w: w.complaint),
    # Each step has its own action; "start" (the lead unit accepts) is the one that the office may not take.
    "hotline:complaint_step": rule("hotline.handle_complaint", lambda w: {"pk": w.complaint.pk, "name": "start"},
                                   obj=lambda w: w.complaint, method="post"),
    # Attachments may carry personal data: only for those who see the complaint unmasked (not the leader).
    "hotline:attachment": rule("hotline.view_personal_data", lambda w: {"pk": w.attachment.pk},
                               obj=lambda w: w.attachment.complaint),
    "hotline:complaint_reveal": rule("hotline.view_personal_data", lambda w: {"pk": w.complaint.pk},
                                     obj=lambda w: w.complaint, method="post", data=lambda w: {"reason": "回访核实"}),
    "hotline:review_reveal": rule("hotline.view_personal_data", lambda w: {"pk": w.review.pk},
                                  obj=lambda w: w.review, method="post", data=lambda w: {"reason": "回访核实"}),
    "hotline:review_list": rule("hotline.review_view"),
    "hotline:review_new": rule("hotline.review_manage"),
    "hotline:review_detail": rule("hotline.review_view", lambda w: {"pk": w.review.pk}, obj=lambda w: w.review),
    "hotline:review_step": rule("hotline.review_rectify", lambda w: {"pk": w.review.pk, "name": "submit"},
                                obj=lambda w: w.review, method="post",
                                data=lambda w: {"submit-action_taken": "已约谈窗口人员并整改。"}),
    "hotline:review_import": rule("hotline.review_manage"),
    "hotline:review_import_detail": rule("hotline.review_manage", lambda w: {"pk": w.review_import.pk}),
    "hotline:review_import_confirm": rule("hotline.review_manage", lambda w: {"pk": w.review_import.pk}, method="post"),
    "hotline:stats": rule("hotline.stats"),
    # Supervision: a meeting on 获得信贷 (胡海 reads it) and one on 纳税 (he does not); a circular
    "supervision:meetings": rule("supervision.view_meetings"),
    "supervision:meeting_create": rule("supervision.manage_meetings", method="post", data=lambda w: {
        "plan": w.plan.pk, "title": "第六次双月调度会", "held_on": f"{w.plan.year}-12-20"}),
    "supervision:meeting_detail": rule("supervision.view_meetings", lambda w: {"pk": w.meeting.pk},
                                       obj=lambda w: w.meeting),
    "supervision:meeting_redraft": rule("supervision.manage_meetings", lambda w: {"pk": w.meeting.pk}, method="post"),
    "supervision:agenda_add": rule("supervision.manage_meetings", lambda w: {"pk": w.meeting.pk}, method="post",
                                   data=lambda w: {"title": "首贷户拓展"}),
    "supervision:agenda_decide": rule("supervision.manage_meetings",
                                      lambda w: {"pk": w.meeting.pk, "item_pk": w.agenda_item.pk}, method="post",
                                      data=lambda w: {f"item{w.agenda_item.pk}-decision": "由区市场监管局牵头推进。"}),
    "supervision:agenda_decision_form": rule("supervision.manage_meetings",
                                             lambda w: {"pk": w.meeting.pk, "item_pk": w.agenda_item.pk}),
    "supervision:meeting_minutes": rule("supervision.view_meetings", lambda w: {"pk": w.tax_meeting.pk},
                                        obj=lambda w: w.tax_meeting),
    "supervision:meeting_summary": rule("supervision.view_meetings", lambda w: {"pk": w.tax_meeting.pk},
                                        obj=lambda w: w.tax_meeting),
    "supervision:dashboard": rule("supervision.view_statistics"),
    "supervision:circular_create": rule("supervision.manage_circulars", method="post",
                                        data=lambda w: {"plan": w.plan.pk, "quarter": f"{w.plan.year}Q3"}),
    "supervision:circular_detail": rule("supervision.view_statistics", lambda w: {"pk": w.circular.pk}),
    "supervision:circular_issue": rule("supervision.manage_circulars", lambda w: {"pk": w.circular.pk},
                                       method="post"),
    "supervision:circular_download": rule("supervision.view_statistics",
                                          lambda w: {"pk": w.circular.pk, "ext": "xlsx"}),
    "supervision:assessment_latest": rule("supervision.view_assessment"),
    "supervision:assessment": rule("supervision.view_assessment", lambda w: {"plan_id": w.plan.pk}),
    "supervision:assessment_scheme": rule("supervision.manage_assessment", lambda w: {"plan_id": w.plan.pk},
                                          method="post"),
    "supervision:assessment_bonus": rule("supervision.manage_assessment", lambda w: {"plan_id": w.plan.pk},
                                         method="post"),
    "supervision:assessment_freeze": rule("supervision.manage_assessment", lambda w: {"plan_id": w.plan.pk},
                                          method="post"),
    "supervision:leaders": rule("supervision.view_leader_page"),
    "supervision:leader": rule("supervision.view_leader_page", lambda w: {"leader_id": w.leader.pk}),
    # Enterprise visits: the cadre's own, the unit's routed problems, the office's plan
    "visits:home": rule("visits.view"),
    "visits:visit_new": rule("visits.record"),
    "visits:visit_detail": rule("visits.view", lambda w: {"pk": w.visit.pk}, obj=lambda w: w.visit),
    "visits:problem_list": rule("visits.view"),
    "visits:problem_detail": rule("visits.view", lambda w: {"pk": w.problem.pk}, obj=lambda w: w.problem),
    "visits:problem_step": rule("visits.answer_problem", lambda w: {"pk": w.problem.pk, "name": "answer"},
                                obj=lambda w: w.problem, method="post", data=lambda w: {"answer": "已办结。"}),
    "visits:coverage": rule("visits.coverage"),
    "visits:plan": rule("visits.plan"),
    # The policy library (the public list, its materials and open data need no log-in)
    "policies:policy_list": rule("policies.view"),
    "policies:policy_new": rule("policies.manage"),
    "policies:policy_detail": rule("policies.view", lambda w: {"pk": w.policy.pk}, obj=lambda w: w.policy),
    "policies:material_add": rule("policies.materials", lambda w: {"pk": w.policy.pk}, obj=lambda w: w.policy,
                                  method="post"),
    "policies:publication_add": rule("policies.materials", lambda w: {"pk": w.policy.pk}, obj=lambda w: w.policy,
                                     method="post"),
    "policies:material_file": rule("policies.view", lambda w: {"pk": w.material.pk}, obj=lambda w: w.material),
    "policies:publication": rule("policies.publication"),
    "policies:schedule": rule("policies.schedule"),
    "policies:payouts": rule("policies.payouts"),
    "policies:booklet": rule("policies.view"),
    "policies:booklet_docx": rule("policies.view"),
    "policies:public_list": rule(PUBLIC, lambda w: {"region": w.plan.region.code}),
    "policies:public_material": rule(PUBLIC, lambda w: {"region": w.plan.region.code, "pk": w.material.pk}),
    "policies:public_data": rule(PUBLIC, lambda w: {"region": w.plan.region.code, "fmt": "csv"}),
    # The public progress page and its open data (no log-in)
    "public:index": rule(PUBLIC),
    "public:plan": rule(PUBLIC, lambda w: {"plan_id": w.publication.plan_id}),
    "public:data": rule(PUBLIC, lambda w: {"plan_id": w.publication.plan_id, "fmt": "json"}),
    "public:manage": rule("public.manage", lambda w: {"plan_id": w.plan.pk}),
    # API tokens
    "api:tokens": rule("api.manage_tokens"),
    "api:token_revoke": rule("api.manage_tokens", lambda w: {"token_id": w.api_token.pk}, obj=lambda w: w.api_token,
                             method="post"),
    # REST API: the OpenAPI document is public; every endpoint needs a token and acts as its user
    # Ninja's root pattern only tells ninja its own path: a 404 for everyone.
    "api-v1:api-root": rule(NOBODY),
    "api-v1:openapi-json": rule(PUBLIC),
    "api-v1:openapi-view": rule(PUBLIC),
    "api-v1:list_plans": api("plan.view"),
    "api-v1:get_plan": api("plan.view", lambda w: {"plan_id": w.plan.pk}),
    "api-v1:list_areas": api("plan.view"),
    "api-v1:list_measures": api("plan.view"),
    "api-v1:get_measure": api("plan.view", lambda w: {"measure_id": w.scjg_measure.pk}),
    "api-v1:list_reports": api("progress.view_report"),
    "api-v1:get_report": api("progress.view_report", lambda w: {"report_id": w.report.pk}, obj=lambda w: w.report),
    "api-v1:save_report": api("progress.edit_report", lambda w: {"report_id": w.report.pk}, obj=lambda w: w.report,
                              method="put", data=lambda w: {"version": w.report.version, "percent": 50}),
    "api-v1:submit_report": api("progress.submit_report", lambda w: {"report_id": w.report.pk}, obj=lambda w: w.report,
                                method="post"),
    "api-v1:list_metrics": api("kpi.view"),
    "api-v1:get_metric": api("kpi.view", lambda w: {"metric_id": _kpi(w).metric.pk}),
    "api-v1:report_value": api("kpi.report", lambda w: {"metric_id": _kpi(w).metric.pk}, obj=lambda w: _kpi(w).metric,
                               method="post", data=lambda w: {"period": f"{w.plan.year}-Q2", "value": "150"}),
    "api-v1:list_complaints": api("hotline.view_complaint"),
    "api-v1:get_complaint": api("hotline.view_complaint", lambda w: {"complaint_id": w.complaint.pk},
                                obj=lambda w: w.complaint),
    "api-v1:create_complaint": api("hotline.record_complaint", method="post", data=lambda w: COMPLAINT_IN),
    "api-v1:list_reviews": api("hotline.review_view"),
    "api-v1:create_reviews": api("hotline.review_manage", method="post", data=lambda w: [REVIEW_IN]),
    "api-v1:list_visit_problems": api("visits.view"),
    "api-v1:get_visit_problem": api("visits.view", lambda w: {"problem_id": w.problem.pk}, obj=lambda w: w.problem),
    "api-v1:answer_visit_problem": api("visits.answer_problem", lambda w: {"problem_id": w.problem.pk},
                                       obj=lambda w: w.problem, method="post", data=lambda w: {"answer": "已办结。"}),
    "api-v1:list_visits": api("visits.view"),
    "api-v1:list_policies": api("policies.view"),
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
    # Unnamed "<app>/<model>/<id>/" patterns: redirects to the change page, behind the admin's staff check.
    "admin/*": rule(STAFF, admin_object_path),
}


def rule_for(key):
    """The rule for a URL key: exact first, then the longest matching prefix ("admin:*")."""
    if key in URL_RULES:
        return URL_RULES[key]
    prefixes = [k for k in URL_RULES if k.endswith("*") and key.startswith(k[:-1])]
    return URL_RULES[max(prefixes, key=len)] if prefixes else None
