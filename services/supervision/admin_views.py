"""明察暗访 in the admin: a supervisor's own reports (list, 填报 on the phone, one report, its
photos); a reviewer (`review_visit_report`, the bureau) sees every report and approves the public
summary text. Anyone else gets 403 with the reason; another supervisor's report does not exist
(404)."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from portal.cases.admin_views import refused
from portal.cases.errors import CaseError, CaseValidationError
from portal.http import no_store, private_download
from portal.uploads.files import OCTET_STREAM, download_filename, extension_for, private_storage

from .actions import visit_report_file, visit_summary_approve
from .forms import SummaryForm, VisitReportForm
from .selectors import visit_photo, visit_report_detail, visit_report_page
from .setup import is_supervision_reviewer, is_supervisor


def supervision_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (is_supervisor(request.user) or is_supervision_reviewer(request.user)):
            return refused(request, _("明察暗访报告仅限监督员和市局审核人员查看。"))
        return no_store(view(request, *args, **kwargs))

    return wrapper


@supervision_view
@require_http_methods(["GET", "HEAD"])
def report_list(request):
    return TemplateResponse(
        request,
        "services/supervision/admin_list.html",
        {
            "page_obj": visit_report_page(user=request.user, page=request.GET.get("p") or 1),
            "can_file": is_supervisor(request.user),
            "reviewer": is_supervision_reviewer(request.user),
            "page_title": _("明察暗访"),
        },
    )


@supervision_view
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request):
    if not is_supervisor(request.user):
        return refused(request, _("只有监督员可以填报明察暗访报告。"))
    form = VisitReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = visit_report_file(
                    supervisor=request.user,
                    centre_id=data["centre"].pk,
                    visit_date=data["visit_date"],
                    checked_items=data["checked_items"],
                    checked_other=data["checked_other"],
                    findings=data["findings"],
                    photos=request.FILES.getlist("photos"),
                )
            except CaseValidationError as exc:
                for name, msgs in exc.errors.items():
                    for msg in msgs:
                        form.add_error(name if name in form.fields else None, msg)
            else:
                if visit.has_findings:
                    messages.success(
                        request,
                        _("暗访报告已提交，发现的问题已转交%(org)s整改（编号 %(number)s）。")
                        % {
                            "org": visit.organisation.name,
                            "number": visit.rectification.case_number,
                        },
                    )
                else:
                    messages.success(request, _("暗访报告已提交。"))
                return redirect("supervision_report", pk=visit.pk)
        status = 422
        messages.error(request, _("请修改下面标出的错误后重新提交。"))
    return TemplateResponse(
        request,
        "services/supervision/admin_form.html",
        {"form": form, "page_title": _("填报暗访报告")},
        status=status,
    )


def _detail(request, pk, *, summary_form=None, status=200):
    visit = visit_report_detail(user=request.user, pk=pk)
    if visit is None:
        raise Http404(_("未找到该暗访报告。"))
    reviewer = is_supervision_reviewer(request.user)
    return TemplateResponse(
        request,
        "services/supervision/admin_detail.html",
        {
            "visit": visit,
            "case": getattr(visit, "rectification", None) if visit.has_findings else None,
            "photos": list(visit.photos.all()),
            "reviewer": reviewer,
            "summary_form": summary_form
            or (
                SummaryForm(initial={"public_summary": visit.public_summary}) if reviewer else None
            ),
            "page_title": _("暗访报告"),
        },
        status=status,
    )


@supervision_view
@require_http_methods(["GET", "HEAD"])
def report_detail(request, pk):
    return _detail(request, pk)


@supervision_view
@require_POST
def report_summary(request, pk):
    if not is_supervision_reviewer(request.user):
        return refused(request, _("只有市局审核人员可以审核公开摘要。"))
    if visit_report_detail(user=request.user, pk=pk) is None:
        raise Http404(_("未找到该暗访报告。"))
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, summary_form=form, status=422)
    try:
        visit = visit_summary_approve(
            visit_id=pk, text=form.cleaned_data["public_summary"], actor=request.user
        )
    except CaseError as exc:
        form.add_error("public_summary", exc.message)
        return _detail(request, pk, summary_form=form, status=exc.status)
    messages.success(
        request,
        _("公开摘要已审核通过，将在明察暗访栏目公开。")
        if visit.public_summary
        else _("公开摘要已撤回。"),
    )
    return redirect("supervision_report", pk=pk)


@supervision_view
@require_http_methods(["GET", "HEAD"])
def report_photo(request, pk, photo_id):
    photo = visit_photo(user=request.user, visit_id=pk, photo_id=photo_id)
    if photo is None:
        raise Http404(_("未找到该照片。"))
    try:
        handle = private_storage().open(photo.stored_name, "rb")
    except FileNotFoundError:
        raise Http404(_("文件已不存在。")) from None
    return private_download(
        handle,
        filename=download_filename(f"MCAF{pk}-{_('暗访照片')}{photo.pk}", photo.content_type),
        content_type=photo.content_type if extension_for(photo.content_type) else OCTET_STREAM,
    )


def admin_urls():
    return [
        path("mcaf/", report_list, name="supervision_reports"),
        path("mcaf/new/", report_new, name="supervision_report_new"),
        path("mcaf/<int:pk>/", report_detail, name="supervision_report"),
        path("mcaf/<int:pk>/summary/", report_summary, name="supervision_report_summary"),
        path("mcaf/<int:pk>/photos/<int:photo_id>/", report_photo, name="supervision_report_photo"),
    ]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return is_supervisor(request.user) or is_supervision_reviewer(request.user)


def menu_item():
    return SupervisionMenuItem(
        gettext_lazy("明察暗访"),
        reverse("supervision_reports"),
        name="supervision",
        icon_name="view",
        order=250,
    )
