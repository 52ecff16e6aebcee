from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.snippet_permissions import BureauOnlyPermissionPolicy

from .models import Genre, Topic

# Topics and genres are drafts until published, with history and compare; only the bureau's staff
# with the model permission maintain them.
for _model in (Topic, Genre):
    register_permission_policy(_model, BureauOnlyPermissionPolicy(_model), exact_class=True)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("主题分类")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "folder-open-inverse"
    menu_label = _("体裁分类")
    list_display = ["name", "slug", "requires_document_number", "sort_order"]
    search_fields = ["name"]


class DisclosureTermsGroup(SnippetViewSetGroup):
    items = (TopicViewSet, GenreViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("公开分类")
    menu_name = "disclosure-terms"


register_snippet(DisclosureTermsGroup)

from wagtail import hooks  # noqa: E402

from . import annual_report_admin  # noqa: E402

hooks.register("register_admin_urls", annual_report_admin.admin_urls)
hooks.register("register_reports_menu_item", annual_report_admin.reports_menu_item)
