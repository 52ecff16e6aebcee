"""A page published (any path: the editor, a workflow's last approval, publish_scheduled, an
import) is a change the alerts report (portal/apps.py connects this)."""

from wagtail.signals import page_published


def on_page_published(sender, instance, **kwargs):
    from .actions import change_record

    change_record(page=instance)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="portal-alerts-change")
