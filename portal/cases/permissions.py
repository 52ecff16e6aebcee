"""Who may see case data: the one place the workbench, the case pages, the case files, the staff
API and the access report ask.

- Case handlers: a staff member of an organisation (a `StaffProfile`) holding `portal.handle_case`
  — the 办件人员 and 办件负责人 groups (portal/editorial/setup.py) — and superusers. Editors and
  reviewers (编辑 / 初审 / 终审) have no case permission: they do not reach case data at all.
- Unmasking a case's ID number and phone: a case handler who also holds
  `portal.view_personal_data` (both case groups have it; a group with only `handle_case` works
  cases with masked data).
- The access report (报表 › 办件访问记录): `portal.review_case_access`, held by the 办件负责人
  group (an organisation's lead, who sees the cases of their organisation's subtree) and by
  superusers (everything).

The permissions belong to `CaseAccessLog` (portal/cases/models.py); Django's permission cache
makes repeated checks for one user within a request free."""

from django.utils.translation import gettext as _

HANDLE_CASE = "portal.handle_case"
VIEW_PERSONAL_DATA = "portal.view_personal_data"
REVIEW_CASE_ACCESS = "portal.review_case_access"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _staff(user) -> bool:
    return getattr(user, "staff_profile", None) is not None


def can_handle_cases(user) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or (_staff(user) and user.has_perm(HANDLE_CASE))


def can_view_personal_data(user) -> bool:
    return can_handle_cases(user) and user.has_perm(VIEW_PERSONAL_DATA)


def can_review_case_access(user) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or (_staff(user) and user.has_perm(REVIEW_CASE_ACCESS))


def case_refusal(user) -> str | None:
    """Why `user` may not see case data (a Chinese sentence), or None if they may."""
    if can_handle_cases(user):
        return None
    if not _active(user) or not _staff(user):
        return _("您不是任何机构的工作人员，不能使用办件工作台。")
    return _(
        "办件工作台和办件信息仅限本机构的办件人员查看；您的账号没有办件权限。"
        "如确需办件，请联系系统管理员。"
    )


def personal_data_refusal(user) -> str | None:
    if can_view_personal_data(user):
        return None
    return case_refusal(user) or _(
        "您没有查看申请人完整证件号码和联系电话的权限，请联系本机构办件负责人。"
    )


def access_report_refusal(user) -> str | None:
    if can_review_case_access(user):
        return None
    return _("办件访问记录仅限机构办件负责人和系统管理员查阅。")
