from django.urls import path

from . import views, views_circulars

app_name = "supervision"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/redraft/", views.meeting_redraft, name="meeting_redraft"),
    path("meetings/<int:pk>/items/", views.add_item, name="agenda_add"),
    path("meetings/<int:pk>/items/<int:item_pk>/decide/", views.decide, name="agenda_decide"),
    path("meetings/<int:pk>/minutes.docx", views.minutes, name="meeting_minutes"),
    path("", views_circulars.dashboard, name="dashboard"),
    path("circulars/new/", views_circulars.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views_circulars.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/circular.<str:ext>", views_circulars.circular_download, name="circular_download"),
]
