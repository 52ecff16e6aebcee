"""Admin hooks of the editorial machinery: organisation set-up on save, move refusal, pre-publish
checks on the 发布 button and on submission, the audit log (log actions, the group permission
panel, 报表 › 审计日志) and the content checker's rules."""

from django.contrib import messages as django_messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem

from portal.organisations import Organisation, user_organisation

from .audit import register_log_actions as _register_log_actions
from .prepublish import direct_publish_problems, page_problems


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def set_up_organisation(request, instance):
    """A new (or changed) publishing organisation gets its groups, collection, workflow and
    sections (portal/editorial/setup.py; idempotent)."""
    if isinstance(instance, Organisation):
        from .setup import organisation_setup

        organisation_setup(organisation=instance)


@hooks.register("before_move_page")
def refuse_move_without_permission(request, page, destination):
    """Wagtail's move-confirmation page checks the permission only when the move is posted; a
    GET would show another organisation's page. Refuse it as the other admin views do."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        from wagtail.admin.auth import permission_denied

        return permission_denied(request)
    return None


@hooks.register("register_log_actions")
def register_editorial_log_actions(actions):
    _register_log_actions(actions)


@hooks.register("register_group_permission_panel")
def register_page_permission_audit_panel():
    from .audit import PagePermissionAuditPanel

    return PagePermissionAuditPanel


@hooks.register("before_publish_page")
def check_before_publish(request, page):
    """The editor's 发布 button: refuse with every problem named (the draft is kept)."""
    problems = direct_publish_problems(page) + page_problems(page)
    if not problems:
        return None
    django_messages.error(request, str(_("未发布：")) + "；".join(problems))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("after_edit_page")
def warn_on_submit(request, page):
    """Submitting for review a version that would fail the pre-publish checks: say so now, not
    only when the reviewer approves."""
    if not request.POST.get("action-submit"):
        return None
    problems = page_problems(page)
    if problems:
        django_messages.warning(
            request,
            str(_("提交审核的版本尚未通过发布前检查，审核通过时将无法发布："))
            + "；".join(problems),
        )
    return None


class PortalContentCheckerItem(ContentCheckerItem):
    """Wagtail's built-in Axe checks plus the rules a government site is held to: image alt text,
    link and document titles, language, lists and table headers."""

    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "input-image-alt",
        "role-img-alt",
        "document-title",
        "html-has-lang",
        "list",
        "listitem",
        "th-has-data-cells",
        "td-headers-attr",
        "duplicate-id-aria",
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("图片缺少替代文本"),
            "help_text": _("请为每张图片填写描述其内容的替代文本（alt）。"),
        },
        "document-title": {
            "error_name": _("页面缺少标题"),
            "help_text": _("每个页面都应有描述其内容的标题。"),
        },
        "html-has-lang": {
            "error_name": _("页面未声明语言"),
            "help_text": _("页面的 html 元素应声明语言（zh-hans）。"),
        },
    }


@hooks.register("construct_wagtail_userbar")
def use_portal_content_checker(request, items, page=None):
    for index_, item in enumerate(items):
        if type(item) in (ContentCheckerItem,) or type(item).__name__ == "AccessibilityItem":
            items[index_] = PortalContentCheckerItem(in_editor=item.in_editor)


# 报表 › 审计日志
class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        # No subtree query on every admin page: a staff profile (usually already loaded) suffices.
        return request.user.is_superuser or user_organisation(request.user) is not None


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    from .audit_views import AuditLogView

    return [
        path("reports/audit-log/", AuditLogView.as_view(), name="portal_audit_log"),
        path(
            "reports/audit-log/results/",
            AuditLogView.as_view(results_only=True),
            name="portal_audit_log_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("审计日志"),
        reverse("portal_audit_log"),
        name="audit-log",
        icon_name="history",
        order=1100,
    )


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    """我的工作: the editor's own drafts, reviews, returned pages and schedules (my_work.py)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from .my_work import MyWorkPanel

    if PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        panels.append(MyWorkPanel())
