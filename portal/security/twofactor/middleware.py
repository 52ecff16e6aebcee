"""Keeps the admin closed to a session that passed the password but not the second factor."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import actions

ADMIN_PREFIX = "/admin/"
# Reachable before the second factor: its own pages, login, logout, password reset and the
# two static resources the admin's page skeleton loads.
OPEN_PREFIXES = (
    "/admin/2fa/",
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/jsi18n/",  # the admin base template loads it,
    "/admin/sprite/",  # and the icons
)


class TwoFactorMiddleware:
    """With PORTAL_REQUIRE_2FA, a signed-in user whose session is not OTP-verified is sent to
    enrolment (no confirmed authenticator yet) or to verification from any admin URL, and is
    anonymous everywhere else (private documents, staff-only public views). Every account is a
    staff account: citizens have none. API bearer tokens do not use the session and are unaffected.
    Runs after django_otp's OTPMiddleware (which gives request.user `is_verified()`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PORTAL_REQUIRE_2FA:
            user = request.user
            if user.is_authenticated and not user.is_verified():
                path = request.path_info
                if path.startswith(ADMIN_PREFIX) and not path.startswith(OPEN_PREFIXES):
                    name = (
                        "portal_otp_verify"
                        if actions.has_confirmed_totp(user)
                        else "portal_otp_setup"
                    )
                    return redirect(
                        reverse(name) + "?" + urlencode({"next": request.get_full_path()})
                    )
                if not path.startswith(ADMIN_PREFIX):
                    request.user = AnonymousUser()
        return self.get_response(request)
