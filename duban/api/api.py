"""The REST API, version 1: /api/v1/ with its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

from . import errors
from .auth import TokenAuth
from .endpoints import hotline, plans, visits, work

api = NinjaAPI(
    title="Duban API",
    version="1",
    urls_namespace="api-v1",
    description="督办 — the plan ledger, progress reports, metrics and complaints of a district's "
                "business-environment plan. Authenticate with `Authorization: Bearer <token>`; tokens are "
                "created in Duban under API tokens.",
    auth=TokenAuth(),
)
errors.install(api)
api.add_router("/", plans.router)
api.add_router("/", work.router)
api.add_router("/", hotline.router)
api.add_router("/", visits.router)


def urls():
    """api.urls with the log-in redirect lifted: the API authenticates by token, not by session."""
    from django.contrib.auth.decorators import login_not_required

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace
