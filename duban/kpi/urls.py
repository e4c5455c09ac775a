from django.urls import path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("metrics/new/", views.metric_new, name="metric_new"),
    path("metrics/<int:pk>/", views.metric_detail, name="metric_detail"),
    path("metrics/<int:pk>/report/", views.metric_report, name="metric_report"),
    path("metrics/<int:pk>/edit/", views.metric_edit, name="metric_edit"),
    path("metrics/<int:pk>/delete/", views.metric_delete, name="metric_delete"),
    path("values/<int:pk>/correct/", views.value_correct, name="value_correct"),
    path("values/<int:pk>/evidence/", views.value_evidence, name="value_evidence"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/confirm/", views.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/discard/", views.proposal_decide, {"action": "discard"}, name="proposal_discard"),
    path("proposals/<int:pk>/reopen/", views.proposal_decide, {"action": "reopen"}, name="proposal_reopen"),
    path("import/", views.values_import, name="values_import"),
    path("export.xlsx", views.values_export, name="values_export"),
]
