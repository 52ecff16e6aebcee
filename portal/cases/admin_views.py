"""办件工作台: the staff case workbench in the Wagtail admin (URLs and menu: cases/wagtail_hooks.py),
and 报表 › 办件访问记录.

Only case handlers (portal/cases/permissions.py: staff of an organisation with `handle_case`) and
superusers get in; anyone else — editors and reviewers included — gets 403 with the reason in
Chinese. Each handler sees the cases of their organisation and below. A case outside that scope
does not exist: the case page, its actions and its files answer 404, also when reached by URL.
The applicant's ID number and phone are masked; 查看完整信息 (a POST, `view_personal_data`) shows
them for that one answer. Every case page, unmasking and file download is written to the access
log (`CaseAccessLog`) before anything is sent."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from portal.holiday_admin import schedule_warning
from portal.http import no_store, private_download
from portal.organisations import Organisation
from portal.uploads.files import (
    OCTET_STREAM,
    download_filename,
    extension_for,
    private_storage,
)

from .actions import case_access_record
from .errors import CaseError, CaseNotFound, CaseValidationError
from .filters import CaseAccessLogFilter
from .kinds import workbench_kind
from .models import CaseAccess, CaseAccessChannel, CaseAccessLog, TrackedCase
from .numbers import CaseKind
from .permissions import can_review_case_access, can_view_personal_data, personal_data_refusal
from .selectors import (
    access_report_scope,
    can_use_workbench,
    case_access_entries,
    staff_case_get,
    staff_case_page,
    staff_case_timeline,
    staff_scope,
    staff_service_choices,
    staff_status_counts,
)


class WorkbenchMenuItem(MenuItem):
    """A menu item of 办件工作台: shown only to those who may use the workbench."""

    def is_shown(self, request):
        return can_use_workbench(request.user)


def refused(request, reason: str) -> TemplateResponse:
    """403 with the reason in Chinese, inside the admin (Wagtail would turn a PermissionDenied
    into a redirect to the dashboard)."""
    response = TemplateResponse(
        request, "portal/workbench/forbidden.html", {"reason": reason}, status=403
    )
    return no_store(response)


def workbench_view(view):
    """Admin access is checked by Wagtail (register_admin_urls); this adds the case permission
    and the staff scope: anyone but a case handler or a superuser gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            request.workbench_scope = staff_scope(request.user)
        except PermissionDenied as exc:
            return refused(request, str(exc))
        return no_store(view(request, *args, **kwargs))

    return wrapper


@workbench_view
@require_http_methods(["GET", "HEAD"])
def case_list(request):
    scope = request.workbench_scope
    listing = staff_case_page(
        organisation_ids=scope, params=request.GET, page=request.GET.get("p") or 1
    )
    params = request.GET.copy()
    params.pop("p", None)
    counts = staff_status_counts(organisation_ids=scope)
    return TemplateResponse(
        request,
        "portal/workbench/case_list.html",
        {
            "listing": listing,
            "filter_form": listing.filterset.form,
            "page_obj": listing.page,
            "cases": listing.cases,
            "query_without_page": params.urlencode(),
            "status_counts": [c for c in counts if c["count"]],
            "service_choices": staff_service_choices(scope),
            "organisation": _organisation(request),
            "schedule_warning": schedule_warning(request.user),
        },
        status=200 if listing.page is not None else 400,
    )


def _organisation(request) -> Organisation | None:
    profile = getattr(request.user, "staff_profile", None)
    return profile.organisation if profile else None


def _detail_response(request, case, wk, *, bound=None, status=200, unmasked=False):
    """The case page. Every rendering of it is written to the access log first: a view, or an
    unmasking when it shows the full ID number and phone."""
    case_access_record(
        user=request.user,
        case=case,
        access=CaseAccess.UNMASK if unmasked else CaseAccess.VIEW,
        channel=CaseAccessChannel.ADMIN,
    )
    forms = []
    for transition in case.available_actions("staff"):
        if bound is not None and bound.transition.action == transition.action:
            form = bound
        else:
            form = wk.form_class(transition.action)(
                transition=transition, initial={"version": case.version}
            )
        forms.append(form)
    context = {
        "case": case,
        "kind": wk,
        "kind_label": CaseKind(case.KIND).label,
        "service_item": wk.service_item(case),
        "deadline": case.deadline(),
        "timeline": staff_case_timeline(case),
        "action_forms": forms,
        "kind_template": wk.detail_template,
        "applicant": case.staff_applicant(unmasked=unmasked),
        "can_unmask": can_view_personal_data(request.user),
    }
    if wk.detail_context:
        context.update(wk.detail_context(case))
    return TemplateResponse(request, "portal/workbench/case_detail.html", context, status=status)


@workbench_view
@require_http_methods(["GET", "HEAD"])
def case_detail(request, case_number):
    case, wk = staff_case_get(case_number=case_number, organisation_ids=request.workbench_scope)
    return _detail_response(request, case, wk)


@workbench_view
@require_POST
def case_unmask(request, case_number):
    """查看完整信息: the case page with the full ID number and phone, for this answer only (a
    reload asks again and is logged again). Needs `view_personal_data`; logged as an unmasking."""
    refusal = personal_data_refusal(request.user)
    if refusal is not None:
        return refused(request, refusal)
    case, wk = staff_case_get(case_number=case_number, organisation_ids=request.workbench_scope)
    return _detail_response(request, case, wk, unmasked=True)


@workbench_view
@require_POST
def case_act(request, case_number, action):
    scope = request.workbench_scope
    case, wk = staff_case_get(case_number=case_number, organisation_ids=scope)
    transition = case.TRANSITIONS.get(action)
    if transition is None or transition.by != "staff":
        raise Http404(_("不支持的操作。"))
    form = wk.form_class(action)(request.POST, request.FILES, transition=transition)
    if not form.is_valid():
        messages.error(request, _("请修改下面标出的错误后重新提交。"))
        return _detail_response(request, case, wk, bound=form, status=422)
    try:
        case = wk.act(
            case,
            action=action,
            actor=request.user,
            organisation_ids=scope,
            version=form.cleaned_data["version"],
            note=form.cleaned_data.get("note", ""),
            data=form.case_data(),
        )
    except CaseNotFound:
        raise Http404(_("未找到该办件。")) from None
    except CaseValidationError as exc:
        form.add_case_errors(exc)
        messages.error(request, exc.message)
        return _detail_response(request, case, wk, bound=form, status=422)
    except CaseError as exc:
        # a stale version or a transition no longer allowed: someone else was faster. Show the
        # case as it is now (fresh forms carry the current version).
        messages.error(request, exc.message)
        fresh, wk = staff_case_get(case_number=case_number, organisation_ids=scope)
        return _detail_response(request, fresh, wk, status=exc.status)
    messages.success(
        request,
        _("已%(action)s，办件 %(number)s 当前状态：%(status)s。")
        % {"action": transition.label, "number": case.case_number, "status": case.status_label},
    )
    return redirect("workbench:case", case_number=case.case_number)


@workbench_view
@require_http_methods(["GET", "HEAD"])
def file_download(request, kind, file_id):
    """A case file as an attachment, streamed from the private storage. The URL names only the
    file's id; the scope check is part of the lookup (outside it the file does not exist)."""
    wk = workbench_kind(kind)
    found = wk.file_lookup(file_id, request.workbench_scope) if wk.file_lookup else None
    if found is None:
        raise Http404(_("未找到该文件。"))
    case_access_record(
        user=request.user,
        case=_case_of(found),
        access=CaseAccess.DOWNLOAD,
        channel=CaseAccessChannel.ADMIN,
        detail=_("文件 %(id)d") % {"id": found.pk},
    )
    try:
        handle = private_storage().open(found.stored_name, "rb")
    except FileNotFoundError:
        raise Http404(_("文件已不存在。")) from None
    # named and typed from what the upload check detected, never from the citizen's file name
    return private_download(
        handle,
        filename=download_filename(found.download_label, found.content_type),
        content_type=found.content_type if extension_for(found.content_type) else OCTET_STREAM,
    )


def _case_of(file_record):
    """The case a kind's file record belongs to (its foreign key to a TrackedCase, already
    selected by the kind's `file_lookup`)."""
    for field in file_record._meta.concrete_fields:
        model = getattr(field, "related_model", None)
        if model is not None and issubclass(model, TrackedCase):
            return getattr(file_record, field.name)
    raise Http404(_("未找到该文件。"))


# ---------------------------------------------------------------------------------------------
# 报表 › 办件访问记录


class CaseAccessReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review_case_access(request.user)


class CaseAccessReportView(ReportView):
    """Who looked at which case: an organisation's lead (`review_case_access`) sees the entries
    of the cases of their organisation's subtree, a superuser every entry. Filterable by case
    number, user, date and action; CSV/XLSX export. A page costs the same few queries whatever
    the size of the log (scope, count, one page with its joins)."""

    page_title = gettext_lazy("办件访问记录")
    header_icon = "view"
    model = CaseAccessLog
    filterset_class = CaseAccessLogFilter
    index_url_name = "case_access_report"
    index_results_url_name = "case_access_report_results"
    paginate_by = 50
    columns = [
        DateColumn("at", label=gettext_lazy("时间")),
        Column("case_number", label=gettext_lazy("受理编号")),
        Column("case_organisation", label=gettext_lazy("承办机构")),
        Column("user_display", label=gettext_lazy("用户")),
        Column("actor_organisation", label=gettext_lazy("用户所属机构")),
        Column("get_access_display", label=gettext_lazy("操作")),
        Column("get_channel_display", label=gettext_lazy("途径")),
        Column("detail", label=gettext_lazy("说明")),
    ]
    list_export = [c.name for c in columns]
    export_headings = {c.name: c.label for c in columns}

    def dispatch(self, request, *args, **kwargs):
        try:
            self.scope = access_report_scope(request.user)
        except PermissionDenied as exc:
            return refused(request, str(exc))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return case_access_entries(organisation_ids=self.scope)

    def get_filename(self):
        return "case-access-log"
