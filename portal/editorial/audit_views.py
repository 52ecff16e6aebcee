"""报表 › 审计日志: Wagtail's site history, filtered by organisation.

A superuser sees everything and may pick any organisation; a staff member sees only entries that
belong to their own organisation's subtree (portal/editorial/audit.py `audit_condition`), may narrow it to one
organisation of that subtree, and cannot widen it through the query string: the scope is applied to
the queryset itself, and an organisation outside it is not a valid choice."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet

from portal.organisations import Organisation, subtree_ids

from .audit import audit_condition
from .ownership import organisation_scope


def _organisations_for(request):
    scope = organisation_scope(request.user)
    qs = Organisation.objects.order_by("sort_order", "code")
    return qs if scope is None else qs.filter(pk__in=scope)


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("机构（含下级）"),
        queryset=_organisations_for,
        method="filter_organisation",
    )

    def filter_organisation(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(audit_condition(queryset.model, subtree_ids(value)))

    class Meta(SiteHistoryReportFilterSet.Meta):
        fields = []


class AuditLogView(LogEntriesView):
    page_title = _("审计日志")
    header_icon = "history"
    filterset_class = AuditLogFilterSet
    index_url_name = "portal_audit_log"
    index_results_url_name = "portal_audit_log_results"

    def dispatch(self, request, *args, **kwargs):
        if organisation_scope(request.user) == set():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        scope = organisation_scope(self.request.user)
        if scope is not None:
            queryset = queryset.filter(audit_condition(queryset.model, scope))
        return queryset
