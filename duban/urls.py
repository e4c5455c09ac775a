from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.api.api import urls as api_v1_urls
from duban.core.views import healthz, notifications
from duban.todo.views import home

urlpatterns = [
    path("", home, name="home"),
    path("notifications/", notifications, name="notifications"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("duban.plans.urls")),
    path("calendar/", include("duban.calendar.urls")),
    path("progress/", include("duban.progress.urls")),
    path("kpi/", include("duban.kpi.urls")),
    path("hotline/", include("duban.hotline.urls")),
    path("visits/", include("duban.visits.urls")),
    path("policies/", include("duban.policies.urls")),
    path("supervision/", include("duban.supervision.urls")),
    path("public/", include("duban.public.urls")),
    path("api/v1/", api_v1_urls()),
    path("api/", include("duban.api.urls")),
    path("account/", include("duban.accounts.urls")),
    path("audit/", include("duban.audit.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# Error pages in the site's layout and language, each with a way back (duban/core/errors.py).
handler403 = "duban.core.errors.forbidden"
handler404 = "duban.core.errors.not_found"
handler500 = "duban.core.errors.server_error"
