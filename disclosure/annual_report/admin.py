"""Admin (报表 › 政府信息公开年度报告): staff choose a finished year and an organisation of their
subtree and generate (or refresh) the report's DRAFT; they then edit the narrative and publish it
the normal way. Only 行政机关 are offered (a unit's requests are in its organ's report). The running
year cannot be generated; 预览本年度 shows its figures so far, marked as unofficial, and 汇总 sums a
whole subtree for oversight, labelled as not a statutory report (neither is saved)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from portal.organisations import DisclosureRole

from .actions import AnnualReportError, annual_report_generate, visible_organisations
from .figures import AnnualReportInconsistent
from .models import AnnualReportPage
from .selectors import annual_report_consolidated, annual_report_preview
from .tables import table2, table3


class GenerateForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("报告机构"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "只能选择本机构及下属机构中的行政机关；所属单位的数据计入其上级行政机关的年度报告。"
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        last_year = timezone.localdate().year - 1  # the running year is not over: no report
        self.fields["year"].choices = [
            (y, _("%(y)d年") % {"y": y}) for y in range(last_year, last_year - 6, -1)
        ]
        self.fields["year"].initial = last_year
        self.fields["organisation"].queryset = reporting_organs(user)
        self.fields["year"].error_messages["invalid_choice"] = _(
            "只能生成已结束年度的报告（%(first)d年至%(last)d年）；%(this)d年度尚未结束，"
            "可使用“预览本年度统计”。"
        ) % {"first": last_year - 5, "last": last_year, "this": last_year + 1}


class PreviewForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("预览机构"),
        queryset=None,
        error_messages={"invalid_choice": gettext_lazy("只能选择本机构及下属机构。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = reporting_organs(user)


def reporting_organs(user):
    return (
        visible_organisations(user)
        .filter(disclosure_role=DisclosureRole.ORGAN)
        .order_by("sort_order", "code")
    )


class ConsolidatedForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("统计年度"), coerce=int)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("汇总范围（本机构及全部下级机构）"),
        queryset=None,
        error_messages={"invalid_choice": gettext_lazy("只能选择本机构及下属机构。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (y, _("%(y)d年") % {"y": y}) for y in range(this_year, this_year - 6, -1)
        ]
        self.fields["year"].initial = this_year - 1
        self.fields["organisation"].queryset = visible_organisations(user).order_by(
            "sort_order", "code"
        )


def generate_view(request):
    """One page, three forms told apart by their submit button: generate a report's draft (the
    default), 预览本年度 (`preview`) and 汇总 (`consolidated`)."""
    posted = request.POST if request.method == "POST" else None
    mode = next((m for m in ("preview", "consolidated") if posted and m in posted), "generate")
    user = request.user
    form = GenerateForm(posted if mode == "generate" else None, user=user)
    preview_form = PreviewForm(posted if mode == "preview" else None, user=user, prefix="preview")
    consolidated_form = ConsolidatedForm(
        posted if mode == "consolidated" else None, user=user, prefix="consolidated"
    )
    preview = consolidated = None
    if mode == "preview" and preview_form.is_valid():
        preview = annual_report_preview(organisation=preview_form.cleaned_data["organisation"])
    if mode == "consolidated" and consolidated_form.is_valid():
        consolidated = annual_report_consolidated(
            year=consolidated_form.cleaned_data["year"],
            organisation=consolidated_form.cleaned_data["organisation"],
        )
    if mode == "generate" and posted is not None and form.is_valid():
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
            "consolidated_form": consolidated_form,
            "consolidated": consolidated,
            "consolidated_tables": (
                [table2(consolidated), table3(consolidated)] if consolidated else []
            ),
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
