"""Idle timeout of signed-in (staff) sessions, besides SESSION_COOKIE_AGE's absolute limit:
a session with no request for PORTAL_IDLE_TIMEOUT seconds is logged out on its next request,
and an admin request is sent back to the login page with a message saying why."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "portal_last_seen"
# The session is written at most once a minute for activity, not on every request.
_RESOLUTION = 60
# Background calls the admin makes on its own (the editor's "who else is editing" ping every
# few seconds) are not the user's activity: an abandoned editor tab must not keep a session alive.
_NOT_ACTIVITY = ("/admin/editing-sessions/",)


@receiver(user_logged_in)
def mark_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.PORTAL_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > timeout:
                logout(request)
                messages.warning(
                    request,
                    _("您已超过%(minutes)d分钟未操作，为保护信息安全已自动退出，请重新登录。")
                    % {"minutes": timeout // 60},
                )
                if request.path_info.startswith("/admin/"):
                    return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
            elif (last is None or now - last >= _RESOLUTION) and not request.path_info.startswith(
                _NOT_ACTIVITY
            ):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
