from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("new/", views.policy_new, name="policy_new"),
    path("<int:pk>/", views.policy_detail, name="policy_detail"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/publications/", views.publication_add, name="publication_add"),
    path("materials/<int:pk>/", views.material_file, name="material_file"),
    path("publication/", views.publication_table, name="publication"),
    path("schedule/", views.schedule, name="schedule"),
    path("payouts/", views.payouts, name="payouts"),
    path("booklet/", views.booklet_page, name="booklet"),
    path("booklet.docx", views.booklet_docx, name="booklet_docx"),
    # Public, no log-in.
    path("public/<slug:region>/", views.public_list, name="public_list"),
    path("public/<slug:region>/materials/<int:pk>/", views.public_material, name="public_material"),
    path("public/<slug:region>/data.<str:fmt>", views.public_data, name="public_data"),
]
