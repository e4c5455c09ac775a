from django.urls import path

from .views import complaints, public, reviews, stats

app_name = "hotline"

urlpatterns = [
    # Public, no log-in.
    path("public/complain/", public.complain, name="public_complain"),
    path("public/status/", public.status, name="public_status"),
    # Staff.
    path("", complaints.complaint_list, name="complaint_list"),
    path("new/", complaints.complaint_record, name="complaint_record"),
    path("export.csv", complaints.complaint_export, name="complaint_export"),
    path("<int:pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("<int:pk>/step/<slug:name>/", complaints.complaint_step, name="complaint_step"),
    path("<int:pk>/reveal/", complaints.complaint_reveal, name="complaint_reveal"),
    path("attachments/<int:pk>/", complaints.attachment, name="attachment"),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/new/", reviews.review_new, name="review_new"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/step/<slug:name>/", reviews.review_step, name="review_step"),
    path("reviews/<int:pk>/reveal/", reviews.review_reveal, name="review_reveal"),
    path("reviews/import/", reviews.review_import, name="review_import"),
    path("reviews/import/<int:pk>/", reviews.review_import_detail, name="review_import_detail"),
    path("reviews/import/<int:pk>/confirm/", reviews.review_import_confirm, name="review_import_confirm"),
    path("stats/", stats.stats, name="stats"),
]
