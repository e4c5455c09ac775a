from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/data.<fmt>", views.plan_data, name="data"),
    path("manage/<int:plan_id>/", views.manage, name="manage"),
]
