"""The site's error pages (handler403/404/500 and the CSRF failure view): in its layout and language, each
with a way back. The 500 page renders without the request's context — the database may be what failed."""

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def _render(request, template, status_class, **context):
    return status_class(loader.render_to_string(template, {"request_path": request.path, **context}, request))


def forbidden(request, exception=None):
    return _render(request, "errors/403.html", HttpResponseForbidden)


def not_found(request, exception=None):
    return _render(request, "errors/404.html", HttpResponseNotFound)


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))


def csrf_failure(request, reason=""):
    """A form sent from a page left open too long (or from elsewhere): ask to reload it, in Chinese."""
    return _render(request, "errors/403_csrf.html", HttpResponseForbidden)
