"""The site's URLs plus one that fails, for the 500 page's test (test_error_pages.py)."""

from django.urls import path

from duban.urls import handler403, handler404, handler500, urlpatterns as site_urls  # noqa: F401 — the handlers


def broken(request):
    raise RuntimeError("the 500 page's test")


urlpatterns = [*site_urls, path("broken-for-test/", broken)]
