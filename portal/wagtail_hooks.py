from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .organisations import Organisation, StaffProfile
from .workdays import WorkdayYear


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "code", "kind", "parent", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "code"]


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
