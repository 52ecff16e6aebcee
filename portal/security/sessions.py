"""Idle timeout of signed-in (staff) sessions, and the absolute limit: a session with no request
for PORTAL_IDLE_TIMEOUT seconds, or signed in more than SESSION_COOKIE_AGE seconds ago, is logged
out on its next request, and an admin request is sent back to the login page with a message
saying why. PORTAL_IDLE_TIMEOUT = 0 turns both off (the test settings, whose tests move the
clock; `check --deploy` refuses it in production). (Recording activity saves the session, and every save pushes the cookie's expiry
SESSION_COOKIE_AGE further; the sign-in time kept here keeps the limit absolute.)"""

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
SIGNED_IN_KEY = "portal_signed_in_at"
# The session is written at most once a minute for activity, not on every request.
_RESOLUTION = 60
# Background calls the admin makes on its own (the editor's "who else is editing" ping every
# few seconds) are not the user's activity: an abandoned editor tab must not keep a session alive.
_NOT_ACTIVITY = ("/admin/editing-sessions/",)


@receiver(user_logged_in)
def mark_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LAST_SEEN_KEY] = now
        request.session[SIGNED_IN_KEY] = now


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.PORTAL_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            signed_in = request.session.get(SIGNED_IN_KEY)
            message = None
            if signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE:
                message = _("登录已超过%(hours)d小时，为保护信息安全已自动退出，请重新登录。") % {
                    "hours": settings.SESSION_COOKIE_AGE // 3600
                }
            elif last is not None and now - last > timeout:
                message = _(
                    "您已超过%(minutes)d分钟未操作，为保护信息安全已自动退出，请重新登录。"
                ) % {"minutes": timeout // 60}
            if message:
                logout(request)
                messages.warning(request, message)
                if request.path_info.startswith("/admin/"):
                    return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
            elif (last is None or now - last >= _RESOLUTION) and not request.path_info.startswith(
                _NOT_ACTIVITY
            ):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
