from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.year, name="year"),
    path("<int:year>/", views.year, name="year"),
    path("due/week/", views.due_week, name="due_week"),
    path("due/soon/", views.due_soon, name="due_soon"),
    path("due/overdue/", views.overdue, name="overdue"),
    path("lights/", views.lights, name="lights"),
]
