from django.urls import path

from . import twofactor

app_name = "accounts"

urlpatterns = [
    path("two-factor/", twofactor.setup, name="otp_setup"),
    path("two-factor/verify/", twofactor.verify, name="otp_verify"),
    path("two-factor/disable/", twofactor.disable, name="otp_disable"),
]
