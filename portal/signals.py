from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .throttle import record_failure


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    record_failure(request, (credentials or {}).get("username", ""))
