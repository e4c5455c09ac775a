from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.entry, name="entry"),
]
