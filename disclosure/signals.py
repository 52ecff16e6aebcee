"""Audit of 有效性 changes: when a revision that changes a live document's validity goes live (by
the editor, a workflow's final approval, an import or `publish_scheduled`), a
`disclosure.validity_change` entry records old → new in Wagtail's audit log.

A published catalogue column may have changed its 接受下级机构报送 mark: the lower organisations'
editors' `add` permission on it follows (portal.editorial.setup.submission_permissions_sync)."""

from django.dispatch import receiver
from wagtail.log_actions import get_active_log_context, log
from wagtail.signals import page_published

from .models import DisclosureDocumentPage, DisclosureIndexPage, Validity


def validity_label(value: str) -> str:
    return str(dict(Validity.choices).get(value, value))


@receiver(page_published, sender=DisclosureDocumentPage, dispatch_uid="disclosure-validity-log")
def log_validity_change(sender, instance, revision, **kwargs):
    old = getattr(instance, "_live_validity", None)
    if old is None or old == instance.validity or not instance.live:
        return
    user = get_active_log_context().user or revision.user
    log(
        instance=instance,
        action="disclosure.validity_change",
        user=user,
        revision=revision,
        data={
            "old": old,
            "new": instance.validity,
            "old_label": validity_label(old),
            "new_label": validity_label(instance.validity),
            "repealed_date": instance.repealed_date.isoformat() if instance.repealed_date else None,
            "replaced_by": instance.replaced_by_id,
        },
    )


@receiver(page_published, sender=DisclosureIndexPage, dispatch_uid="disclosure-submission-grants")
def sync_submission_permissions(sender, instance, **kwargs):
    from portal.editorial.setup import submission_permissions_sync

    submission_permissions_sync()
