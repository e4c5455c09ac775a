from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
]
