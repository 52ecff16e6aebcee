"""When an administrator completes a year's holiday schedule (or adds an override), the cases whose
deadline was pending for want of that year get their due date."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.workdays import WorkdayOverride, WorkdayYear

from .actions import recompute_pending_deadlines


@receiver(post_save, sender=WorkdayYear, dispatch_uid="pending-deadlines-year")
@receiver(post_save, sender=WorkdayOverride, dispatch_uid="pending-deadlines-day")
def recompute_after_calendar_change(sender, instance, **kwargs):
    if getattr(instance, "complete", True):
        transaction.on_commit(recompute_pending_deadlines)
