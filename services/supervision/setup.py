"""The 监督员 role: one shared group, set up the way portal/editorial/setup.py sets up the case
groups (idempotent, its permissions brought up to date on every call). A supervisor holds Wagtail
admin access and `services.file_visit_report` only: no page, collection, snippet or case rights,
and no organisation (no StaffProfile), so nothing of any organisation's editing or cases."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

SUPERVISOR_GROUP = "监督员"
SUPERVISOR_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("services", "file_visit_report"),
)


def supervisor_group() -> Group:
    """The 监督员 group with exactly its permissions."""
    group, _ = Group.objects.get_or_create(name=SUPERVISOR_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in SUPERVISOR_PERMISSIONS
    ]
    group.permissions.set(wanted)
    return group


@transaction.atomic
def supervisor_role_assign(*, user) -> Group:
    """Make `user` a supervisor: the 监督员 group and no other group, no permissions of their own.
    A member of an organisation's staff or a superuser cannot be a supervisor (the role is
    outside every organisation)."""
    from portal.organisations import StaffProfile

    if user.is_superuser:
        raise ValidationError({"role": _("超级管理员不能设为监督员。")})
    if StaffProfile.objects.filter(user=user).exists():
        raise ValidationError(
            {"role": _("该用户是机构工作人员，监督员须独立于各机构，请使用单独的账号。")}
        )
    group = supervisor_group()
    user.groups.set([group])
    user.user_permissions.clear()
    return group


def is_supervisor(user) -> bool:
    """Holds the filing permission through the role (a superuser reviews, never files)."""
    return bool(
        user.is_authenticated
        and not user.is_superuser
        and user.has_perm("services.file_visit_report")
    )


def is_supervision_reviewer(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("services.review_visit_report"))
