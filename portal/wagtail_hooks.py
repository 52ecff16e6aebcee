from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .organisations import Organisation, StaffProfile
from .ownership import organisation_scope
from .snippet_permissions import (
    OrganisationAdminForm,
    OrganisationPermissionPolicy,
    guard_instance_urls,
)
from .workdays import WorkdayYear

# A staff user edits only their own organisation's record (and its subtree's): see
# portal/snippet_permissions.py. Registered before the viewset so the viewset uses it.
register_permission_policy(
    Organisation, OrganisationPermissionPolicy(Organisation), exact_class=True
)
# The admin form limits 上级机构 to the user's subtree (set here: the form imports the policy code,
# which imports the model module).
Organisation.base_form_class = OrganisationAdminForm


class OrganisationViewSet(SnippetViewSet):
    """机构: contact details are drafts until published (RevisionMixin + DraftStateMixin), with
    history, compare and locking."""

    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "code", "kind", "parent", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "code"]

    def get_queryset(self, request):
        scope = organisation_scope(request.user)
        qs = Organisation.objects.all()
        return qs if scope is None else qs.filter(pk__in=scope)

    def get_urlpatterns(self):
        return guard_instance_urls(self, super().get_urlpatterns())


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("工作人员")
    list_display = ["user", "organisation", "api_token_prefix"]
    list_filter = ["organisation"]


class OrganisationGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, StaffProfileViewSet)
    menu_icon = "group"
    menu_label = _("机构与人员")
    menu_name = "organisations"


register_snippet(OrganisationGroup)


class WorkdayYearViewSet(SnippetViewSet):
    """节假日安排: each new year's State Council schedule, entered every November."""

    model = WorkdayYear
    icon = "date"
    menu_label = _("节假日安排")
    list_display = ["year", "complete", "source"]
    list_filter = ["complete"]
    ordering = ["-year"]


class SystemSettingsGroup(SnippetViewSetGroup):
    items = (WorkdayYearViewSet,)
    menu_icon = "cogs"
    menu_label = _("系统设置")
    menu_name = "system-settings"


register_snippet(SystemSettingsGroup)


# ---------------------------------------------------------------------------------------------
# 办件工作台: the staff case workbench (portal/case_views.py, services/admin_views.py).

from django.urls import include, path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem  # noqa: E402

from .case_selectors import can_use_workbench  # noqa: E402


class WorkbenchMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_workbench(request.user)


@hooks.register("register_admin_urls")
def register_workbench_urls():
    from services import admin_views as service_views

    from . import case_views

    urls = [
        path("", case_views.case_list, name="list"),
        path("follow-ups/", service_views.follow_up_list, name="follow_ups"),
        path(
            "follow-ups/<int:rating_id>/close/",
            service_views.follow_up_close,
            name="follow_up_close",
        ),
        path("files/<slug:kind>/<int:file_id>/", case_views.file_download, name="file"),
        path("<str:case_number>/", case_views.case_detail, name="case"),
        path("<str:case_number>/act/<slug:action>/", case_views.case_act, name="act"),
    ]
    return [path("workbench/", include((urls, "workbench"), namespace="workbench"))]


@hooks.register("register_admin_menu_item")
def register_workbench_menu():
    menu = Menu(
        items=[
            WorkbenchMenuItem(
                _("办件列表"),
                reverse("workbench:list"),
                name="workbench-cases",
                icon_name="tasks",
                order=100,
            ),
            WorkbenchMenuItem(
                _("差评整改回访"),
                reverse("workbench:follow_ups"),
                name="workbench-follow-ups",
                icon_name="warning",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("办件工作台"), menu, name="workbench", icon_name="tasks", order=150)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def set_up_organisation(request, instance):
    """A new (or changed) publishing organisation gets its groups, collection, workflow and
    sections (portal/org_setup.py; idempotent)."""
    if isinstance(instance, Organisation):
        from .org_setup import organisation_setup

        organisation_setup(organisation=instance)


@hooks.register("before_move_page")
def refuse_move_without_permission(request, page, destination):
    """Wagtail's move-confirmation page checks the permission only when the move is posted; a
    GET would show another organisation's page. Refuse it as the other admin views do."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        from wagtail.admin.auth import permission_denied

        return permission_denied(request)
    return None


# ---------------------------------------------------------------------------------------------
# Editorial: pre-publish checks, reviewed 有效性 changes, the audit log by organisation, and the
# content checker (Axe) configuration.

from django.contrib import messages as django_messages  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from wagtail.admin.userbar import ContentCheckerItem  # noqa: E402

from .audit import register_log_actions as _register_portal_log_actions  # noqa: E402
from .prepublish import page_problems  # noqa: E402


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    _register_portal_log_actions(actions)


@hooks.register("register_group_permission_panel")
def register_page_permission_audit_panel():
    from .audit import PagePermissionAuditPanel

    return PagePermissionAuditPanel


def _validity_needs_review(page) -> bool:
    """A direct publish that changes a live document's 有效性 while a workflow applies to it."""
    from disclosure.models import DisclosureDocumentPage

    if not isinstance(page, DisclosureDocumentPage) or not page.pk:
        return False
    live = (
        DisclosureDocumentPage.objects.filter(pk=page.pk, live=True)
        .values_list("validity", flat=True)
        .first()
    )
    return live is not None and live != page.validity and page.get_workflow() is not None


@hooks.register("before_publish_page")
def check_before_publish(request, page):
    """The editor's 发布 button: refuse with every problem named (the draft is kept)."""
    problems = page_problems(page)
    if _validity_needs_review(page):
        problems.insert(
            0, str(_("有效性变更须提交审核（初审、终审），审核通过后才会发布，不能直接发布。"))
        )
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
        from .ownership import user_organisation

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
