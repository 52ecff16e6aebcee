from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .editorial.ownership import organisation_scope
from .editorial.permissions import (
    OrganisationAdminForm,
    OrganisationPermissionPolicy,
    guard_instance_urls,
)
from .frontcache.policy import offer_served_page
from .organisations import Organisation, StaffProfile
from .search_synonyms import SearchSynonym
from .workdays import WorkdayYear

# Served pages are offered to the front cache, after Wagtail's view-restriction check (order 0).
hooks.register("before_serve_page", offer_served_page, order=100)

# A staff user edits only their own organisation's record (and its subtree's): see
# portal/editorial/permissions.py. Registered before the viewset so the viewset uses it.
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
    list_display = ["name", "code", "kind", "disclosure_role", "parent", "phone"]
    list_filter = ["kind", "disclosure_role"]
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


class SearchSynonymViewSet(SnippetViewSet):
    """搜索同义词: abbreviations and other names the site search understands, added by editors."""

    model = SearchSynonym
    icon = "search"
    menu_label = _("搜索同义词")
    list_display = ["canonical", "aliases", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["canonical", "aliases"]
    ordering = ["canonical"]


class SystemSettingsGroup(SnippetViewSetGroup):
    items = (WorkdayYearViewSet, SearchSynonymViewSet)
    menu_icon = "cogs"
    menu_label = _("系统设置")
    menu_name = "system-settings"


register_snippet(SystemSettingsGroup)


@hooks.register("register_admin_urls")
def register_holiday_notice_urls():
    from .holiday_admin import holiday_notice_import

    return [
        path("workdays/import/", holiday_notice_import, name="portal_holiday_notice_import"),
    ]


class HolidayNoticeMenuItem(MenuItem):
    def is_shown(self, request):
        from .holiday_admin import PERMISSION

        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def holiday_notice_menu_item():
    """设置 › 从通知导入节假日安排 (also linked from the warning)."""
    return HolidayNoticeMenuItem(
        _("从通知导入节假日安排"),
        reverse("portal_holiday_notice_import"),
        name="holiday-notice-import",
        icon_name="date",
        order=900,
    )


@hooks.register("construct_homepage_panels")
def add_schedule_warning_panel(request, panels):
    """From 1 November until next year's holiday schedule is entered (holiday_admin.py)."""
    from .holiday_admin import ScheduleWarningPanel, schedule_warning

    warning = schedule_warning(request.user)
    if warning is not None:
        panels.append(ScheduleWarningPanel(warning))


# The admin hooks of the subpackages (Wagtail discovers only this module).
from .cases import wagtail_hooks as _cases_hooks  # noqa: E402,F401
from .editorial import wagtail_hooks as _editorial_hooks  # noqa: E402,F401


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    """账号设置 › 两步验证: new recovery codes, another authenticator."""
    return {
        "url": reverse("portal_otp_recovery_codes"),
        "label": _("两步验证"),
        "help_text": _("重新生成恢复码或更换身份验证器。"),
    }


# 报表 › 未送达通知 (portal/notify/wagtail_hooks.py registers its own hooks).
# 报表 › 邮件订阅 (portal/alerts/wagtail_hooks.py).
from .alerts import wagtail_hooks as _alerts_hooks  # noqa: E402,F401
from .notify import wagtail_hooks as _notify_hooks  # noqa: E402,F401

# 满意度问卷 and 报表 › 满意度调查 (portal/surveys/wagtail_hooks.py registers its own hooks).
from .surveys import wagtail_hooks as _surveys_hooks  # noqa: E402,F401
