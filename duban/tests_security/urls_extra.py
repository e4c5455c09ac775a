"""The site's URL conf plus one view nobody wrote a rule for (test_url_matrix proves it is caught)."""

from django.http import HttpResponse
from django.urls import path

from duban.urls import urlpatterns as site_urlpatterns


def unruled(request):
    return HttpResponse("nobody said who may see this")


urlpatterns = [*site_urlpatterns, path("unruled/", unruled, name="unruled-view")]
