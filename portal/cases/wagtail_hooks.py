"""办件工作台 in the Wagtail admin: its URLs under /admin/workbench/ and its menu; 报表 ›
办件访问记录 (/admin/reports/case-access/).

Apps add their own pages to the workbench through two hooks of ours, in their wagtail_hooks.py:
`register_workbench_urls` (URL patterns, inside the `workbench` namespace) and
`register_workbench_menu_item` (a `WorkbenchMenuItem`)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_views
from .admin_views import CaseAccessReportMenuItem, CaseAccessReportView, WorkbenchMenuItem


@hooks.register("register_admin_urls")
def register_workbench_urls():
    urls = [path("", admin_views.case_list, name="list")]
    for fn in hooks.get_hooks("register_workbench_urls"):
        urls += fn()  # before the case number pattern below, which matches any path segment
    urls += [
        path("files/<slug:kind>/<int:file_id>/", admin_views.file_download, name="file"),
        path("<str:case_number>/", admin_views.case_detail, name="case"),
        path("<str:case_number>/personal-data/", admin_views.case_unmask, name="unmask"),
        path("<str:case_number>/act/<slug:action>/", admin_views.case_act, name="act"),
    ]
    return [
        path("workbench/", include((urls, "workbench"), namespace="workbench")),
        path("reports/case-access/", CaseAccessReportView.as_view(), name="case_access_report"),
        path(
            "reports/case-access/results/",
            CaseAccessReportView.as_view(results_only=True),
            name="case_access_report_results",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_workbench_menu():
    items = [
        WorkbenchMenuItem(
            _("办件列表"),
            reverse("workbench:list"),
            name="workbench-cases",
            icon_name="tasks",
            order=100,
        )
    ]
    items += [fn() for fn in hooks.get_hooks("register_workbench_menu_item")]
    return SubmenuMenuItem(
        _("办件工作台"), Menu(items=items), name="workbench", icon_name="tasks", order=150
    )


@hooks.register("register_reports_menu_item")
def register_case_access_report_menu_item():
    return CaseAccessReportMenuItem(
        _("办件访问记录"),
        reverse("case_access_report"),
        name="case-access-report",
        icon_name="view",
        order=1150,
    )
