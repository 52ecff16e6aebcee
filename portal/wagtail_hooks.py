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
