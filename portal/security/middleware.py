"""Middleware of the security package: headers on every response, the admin login throttle."""

from django.conf import settings
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import admin_csp, ratelimit
from .throttle import login_blocked


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and the admin's own CSP (inline styles; scripts only
    with the request's nonce, which Wagtail's own inline scripts get through `admin_csp`).
    Runs inside Django's CSP middleware, so the override is seen when the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = request.path.startswith("/admin/") or request.path.startswith("/documents/")
        token = admin_csp.current_nonce.set(get_nonce(request) if admin else None)
        try:
            response = self.get_response(request)
        finally:
            admin_csp.current_nonce.reset(token)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if admin:
            response._csp_config = settings.ADMIN_CSP
        return response


class LoginThrottleMiddleware:
    """Refuse admin login attempts from a client or for a username that failed too often."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._login_path = None

    def __call__(self, request):
        if request.method == "POST":
            if self._login_path is None:
                self._login_path = reverse("wagtailadmin_login")
            if request.path == self._login_path and login_blocked(
                request, request.POST.get("username", "")
            ):
                minutes = settings.LOGIN_THROTTLE["window"] // 60
                response = render(
                    request,
                    "429.html",
                    {"message": _("登录失败次数过多，请%(m)d分钟后再试。") % {"m": minutes}},
                    status=429,
                )
                response["Retry-After"] = str(
                    ratelimit.retry_after(
                        ratelimit.Limit("login", 1, settings.LOGIN_THROTTLE["window"])
                    )
                )
                return response
        return self.get_response(request)
