from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.home, name="home"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("matrix/export/", views.export_district, name="export_district"),
    path("units/<int:pk>/", views.unit_ledger_view, name="unit_ledger"),
    path("units/<int:pk>/export/", views.export_unit, name="export_unit"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("reports/<int:pk>/ask-head/", views.report_request_approval, name="report_request_approval"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/compare/", views.report_compare, name="report_compare"),
    path("reports/<int:pk>/contribution/", views.contribution_save, name="contribution_save"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
