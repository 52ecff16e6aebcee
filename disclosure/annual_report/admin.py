"""Admin (报表 › 政府信息公开年度报告): staff choose a finished year and an organisation of their
subtree and generate (or refresh) the report's DRAFT; they then edit the narrative and publish it
the normal way. The running year cannot be generated; 预览本年度 shows its figures so far, marked
as unofficial (nothing is saved)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from .actions import (
    AnnualReportError,
    annual_report_generate,
    annual_report_preview,
    visible_organisations,
)
from .figures import AnnualReportInconsistent
from .models import AnnualReportPage
from .tables import table2, table3


class GenerateForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("报告机构"),
        queryset=None,
        error_messages={"invalid_choice": gettext_lazy("只能选择本机构及下属机构。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        last_year = timezone.localdate().year - 1  # the running year is not over: no report
        self.fields["year"].choices = [
            (y, _("%(y)d年") % {"y": y}) for y in range(last_year, last_year - 6, -1)
        ]
        self.fields["year"].initial = last_year
        self.fields["year"].error_messages["invalid_choice"] = _(
            "只能生成已结束年度的报告（%(first)d年至%(last)d年）；%(this)d年度尚未结束，"
            "可使用“预览本年度统计”。"
        ) % {"first": last_year - 5, "last": last_year, "this": last_year + 1}
        self.fields["organisation"].queryset = visible_organisations(user).order_by(
            "sort_order", "code"
        )


class PreviewForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("预览机构"),
        queryset=None,
        error_messages={"invalid_choice": gettext_lazy("只能选择本机构及下属机构。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user).order_by(
            "sort_order", "code"
        )


def generate_view(request):
    preview = None
    posted = request.POST if request.method == "POST" else None
    previewing = posted is not None and "preview" in posted
    form = GenerateForm(None if previewing else posted, user=request.user)
    preview_form = PreviewForm(posted if previewing else None, user=request.user, prefix="preview")
    if previewing and preview_form.is_valid():
        try:
            preview = annual_report_preview(
                organisation=preview_form.cleaned_data["organisation"], user=request.user
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有权限查看该机构的统计。"))
    if not previewing and request.method == "POST" and form.is_valid():
        try:
            page, created = annual_report_generate(
                year=form.cleaned_data["year"],
                organisation=form.cleaned_data["organisation"],
                user=request.user,
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有权限生成这份年度报告。"))
        except AnnualReportInconsistent as exc:
            for error in exc.errors:
                messages.error(request, error)
        except AnnualReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                (
                    _("已生成年度报告草稿：%(title)s。请补充文字部分后按正常流程发布。")
                    if created
                    else _(
                        "已更新年度报告草稿的统计数据：%(title)s。已发布的版本在重新发布前保持不变。"
                    )
                )
                % {"title": page.title},
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    visible = visible_organisations(request.user).values("pk")
    reports = (
        AnnualReportPage.objects.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by("-year", "organisation__sort_order")
    )
    return render(
        request,
        "disclosure/annual_report/admin_generate.html",
        {
            "form": form,
            "preview_form": preview_form,
            "preview": preview,
            "preview_tables": [table2(preview), table3(preview)] if preview else [],
            "this_year": timezone.localdate().year,
            "reports": reports,
            "page_title": _("政府信息公开年度报告"),
        },
    )


def admin_urls():
    return [path("reports/annual-report/", generate_view, name="annual_report_generate")]


def reports_menu_item():
    return MenuItem(
        gettext_lazy("政府信息公开年度报告"),
        reverse("annual_report_generate"),
        name="annual-report",
        icon_name="table",
        order=960,
    )
