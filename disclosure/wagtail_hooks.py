"""Admin hooks of 政府信息公开: the catalogue terms, 报表 › 政府信息公开年度报告, the audit log's
有效性变更 entries, and the rule that lower organisations submit only documents to city-wide columns."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.editorial.permissions import BureauOnlyPermissionPolicy
from portal.editorial.sections import section_owning
from portal.organisations import user_organisation

from .annual_report import admin as annual_report_admin
from .models import DisclosureDocumentPage, Genre, Topic
from .requests import admin as request_admin

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


hooks.register("register_admin_urls", annual_report_admin.admin_urls)
hooks.register("register_reports_menu_item", annual_report_admin.reports_menu_item)
hooks.register("register_admin_urls", request_admin.admin_urls)
hooks.register("register_reports_menu_item", request_admin.reports_menu_item)


class ValidityChangeFormatter(LogFormatter):
    """The audit log's 有效性变更 entries (disclosure/signals.py writes them)."""

    label = _("有效性变更")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("有效性由“%(old)s”变更为“%(new)s”") % {
            "old": data.get("old_label", data.get("old", "?")),
            "new": data.get("new_label", data.get("new", "?")),
        }


@hooks.register("register_log_actions")
def register_validity_log_action(actions):
    actions.register_action("disclosure.validity_change")(ValidityChangeFormatter)


@hooks.register("before_create_page")
def submissions_are_documents_only(request, parent_page, page_class):
    """A column marked 接受下级机构报送 lets lower organisations' editors draft disclosure documents
    (in their own name, reviewed by the column owner); any other page type there would count as
    the owner's own page, so lower organisations may not create one."""
    parent = parent_page.specific
    if request.user.is_superuser or not getattr(parent, "accepts_submissions", False):
        return None
    if issubclass(page_class, DisclosureDocumentPage):
        return None
    section, organisation = section_owning(parent), user_organisation(request.user)
    if section is None or organisation is None or organisation.pk == section.organisation_id:
        return None
    messages.error(
        request,
        _("“%(column)s”只接受下级机构报送公开文件，不能新建其他类型的页面。")
        % {"column": parent.title},
    )
    return redirect("wagtailadmin_explore", parent.pk)
