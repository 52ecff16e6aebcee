from django.urls import path

from . import views

urlpatterns = [
    path("setup/", views.otp_setup, name="portal_otp_setup"),
    path("verify/", views.otp_verify, name="portal_otp_verify"),
    path("recovery-codes/", views.otp_recovery_codes, name="portal_otp_recovery_codes"),
]
