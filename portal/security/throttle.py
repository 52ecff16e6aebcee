"""Admin login throttling: failed logins are counted per client address and per username
(`count_failed_login` listens to Django's `user_login_failed`)."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from . import ratelimit


def _limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    conf = settings.LOGIN_THROTTLE
    return (
        ratelimit.Limit("login-ip", conf["limit"] * 4, conf["window"]),
        ratelimit.Limit("login-user", conf["limit"], conf["window"]),
    )


def login_blocked(request, username: str) -> bool:
    by_ip, by_user = _limits()
    if ratelimit.is_limited(by_ip, ratelimit.client_ip(request)):
        return True
    return bool(username) and ratelimit.is_limited(by_user, username.strip().lower())


def record_failure(request, username: str) -> None:
    by_ip, by_user = _limits()
    if request is not None:
        ratelimit.hit(by_ip, ratelimit.client_ip(request))
    if username:
        ratelimit.hit(by_user, username.strip().lower())


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    record_failure(request, (credentials or {}).get("username", ""))
