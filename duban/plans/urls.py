from django.urls import path

from . import views, views_import

app_name = "plans"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/<int:pk>/", views_import.import_review, name="import_review"),
    path("import/<int:pk>/items/<int:index>/", views_import.import_item, name="import_item"),
    path("import/<int:pk>/revises/", views_import.import_revises, name="import_revises"),
    path("import/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views_import.import_discard, name="import_discard"),
]
