from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .throttle import record_failure


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    record_failure(request, (credentials or {}).get("username", ""))


def _recompute_pending_deadlines(sender, instance, **kwargs):
    from django.db import transaction

    from .cases import recompute_pending_deadlines

    if getattr(instance, "complete", True):
        transaction.on_commit(recompute_pending_deadlines)


def connect_calendar_signals():
    from django.db.models.signals import post_save

    from .workdays import WorkdayOverride, WorkdayYear

    post_save.connect(
        _recompute_pending_deadlines, sender=WorkdayYear, dispatch_uid="pending-deadlines-year"
    )
    post_save.connect(
        _recompute_pending_deadlines, sender=WorkdayOverride, dispatch_uid="pending-deadlines-day"
    )


connect_calendar_signals()
