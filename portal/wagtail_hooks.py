from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .organisations import Organisation, StaffProfile


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
