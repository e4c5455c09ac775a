from django.urls import path

from . import views, views_assessment, views_circulars, views_leader

app_name = "supervision"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/redraft/", views.meeting_redraft, name="meeting_redraft"),
    path("meetings/<int:pk>/items/", views.add_item, name="agenda_add"),
    path("meetings/<int:pk>/items/<int:item_pk>/decide/", views.decide, name="agenda_decide"),
    path("meetings/<int:pk>/items/<int:item_pk>/form/", views.decision_form_view, name="agenda_decision_form"),
    path("meetings/<int:pk>/minutes.docx", views.minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/summary/", views.meeting_summary, name="meeting_summary"),
    path("", views_circulars.dashboard, name="dashboard"),
    path("circulars/new/", views_circulars.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views_circulars.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/issue/", views_circulars.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/circular.<str:ext>", views_circulars.circular_download, name="circular_download"),
    path("assessment/", views_assessment.assessment_page, name="assessment_latest"),
    path("assessment/<int:plan_id>/", views_assessment.assessment_page, name="assessment"),
    path("assessment/<int:plan_id>/scheme/", views_assessment.scheme_update, name="assessment_scheme"),
    path("assessment/<int:plan_id>/bonus/", views_assessment.bonus_add, name="assessment_bonus"),
    path("assessment/<int:plan_id>/freeze/", views_assessment.freeze, name="assessment_freeze"),
    path("leaders/", views_leader.leader_index, name="leaders"),
    path("leaders/<int:leader_id>/", views_leader.leader_page, name="leader"),
]
