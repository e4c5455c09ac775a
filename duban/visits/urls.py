from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.visit_new, name="visit_new"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/step/<slug:name>/", views.problem_step, name="problem_step"),
    path("coverage/", views.coverage, name="coverage"),
    path("plan/", views.plan, name="plan"),
]
