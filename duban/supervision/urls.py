from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/redraft/", views.meeting_redraft, name="meeting_redraft"),
    path("meetings/<int:pk>/items/", views.add_item, name="agenda_add"),
    path("meetings/<int:pk>/items/<int:item_pk>/decide/", views.decide, name="agenda_decide"),
    path("meetings/<int:pk>/minutes.docx", views.minutes, name="meeting_minutes"),
]
