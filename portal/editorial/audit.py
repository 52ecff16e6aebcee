"""The audit log by organisation.

Wagtail's audit log already records publish, unpublish, move, copy, delete, lock and every workflow
step. This module adds:
- our own log actions (`register_log_actions`, registered by portal/editorial/wagtail_hooks.py):
  发布被拒绝 (pre-publish checks) and page permission changes (disclosure adds 有效性变更);
- entries for group page permissions granted or removed (the admin's group editor saves them without a
  log entry), logged on the page concerned, so they show in the page's history and in the report;
- `audit_condition`: which log entries belong to a set of organisations — entries on pages owned by
  them (portal/editorial/ownership.py) or on their Organisation records, and entries made by their staff."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.forms import Media
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log
from wagtail.models import BaseLogEntry, GroupPagePermission, Page, PageLogEntry

from portal.organisations import Organisation, StaffProfile

from .ownership import pages_owned_by


class PublishBlockedFormatter(LogFormatter):
    label = _("发布被拒绝")

    def format_message(self, log_entry):
        problems = (log_entry.data or {}).get("problems") or []
        return _("未通过发布前检查，未发布：%(problems)s") % {"problems": "；".join(problems)}


class PagePermissionFormatter(LogFormatter):
    def __init__(self, label, message):
        self.label = label
        self.message = message

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return self.message % {"group": data.get("group", "?"), "perm": data.get("permission")}


def register_log_actions(actions) -> None:
    actions.register_action("portal.publish_blocked")(PublishBlockedFormatter)
    actions.register_action("portal.page_permission.add")(
        lambda: PagePermissionFormatter(
            _("授予页面权限"), _("用户组“%(group)s”获得本页面的 %(perm)s 权限")
        )
    )
    actions.register_action("portal.page_permission.remove")(
        lambda: PagePermissionFormatter(
            _("撤销页面权限"), _("用户组“%(group)s”的本页面 %(perm)s 权限已撤销")
        )
    )


def _permission_data(instance: GroupPagePermission) -> dict:
    permission = instance.permission
    return {
        "group": instance.group.name,
        "group_id": instance.group_id,
        "permission": permission.codename if permission else None,
    }


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="audit-page-permission-add")
def log_page_permission_added(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    log(
        instance=instance.page, action="portal.page_permission.add", data=_permission_data(instance)
    )


@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="audit-page-permission-remove")
def log_page_permission_removed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; its deletion is logged
        return
    log(instance=page, action="portal.page_permission.remove", data=_permission_data(instance))


class PagePermissionAuditPanel:
    """An invisible panel of the admin's group editor. The page-permission formset saves new
    permissions with `bulk_create`, which sends no signal; panels are saved in order, after that
    formset, so this one compares with the permissions the group had when the form was opened and
    logs each one added (removals are logged by `post_delete` above)."""

    media = Media()

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        self.instance = instance
        self.before = set()
        if instance is not None and instance.pk:
            self.before = set(instance.page_permissions.values_list("pk", flat=True))

    def is_valid(self) -> bool:
        return True

    def save(self) -> None:
        if self.instance is None or self.instance.pk is None:
            return
        added = (
            GroupPagePermission.objects.filter(group=self.instance)
            .exclude(pk__in=self.before)
            .select_related("page", "permission", "group")
        )
        for permission in added:
            log(
                instance=permission.page.specific_deferred,
                action="portal.page_permission.add",
                data=_permission_data(permission),
            )

    def as_admin_panel(self) -> str:
        return ""


def audit_condition(model: type[BaseLogEntry], organisation_ids) -> Q:
    """Entries of log model `model` that belong to `organisation_ids`."""
    organisation_ids = list(organisation_ids)
    condition = Q(
        user_id__in=StaffProfile.objects.filter(organisation_id__in=organisation_ids).values(
            "user_id"
        )
    )
    if issubclass(model, PageLogEntry):
        owned = Page.objects.filter(pages_owned_by(organisation_ids)).values("pk")
        condition |= Q(page_id__in=owned)
    else:
        condition |= Q(
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id__in=[str(pk) for pk in organisation_ids],
        )
    return condition
