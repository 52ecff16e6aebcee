"""办件工作台: the staff case workbench in the Wagtail admin (URLs and menu: cases/wagtail_hooks.py).

Only staff of an organisation (a StaffProfile) and superusers get in; each sees the cases of their
organisation and below. A case outside that scope does not exist: the case page, its actions and
its files answer 404, also when reached by URL."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from portal.http import private_download
from portal.organisations import Organisation
from portal.uploads.files import (
    OCTET_STREAM,
    download_filename,
    extension_for,
    private_storage,
)

from .errors import CaseError, CaseNotFound, CaseValidationError
from .kinds import workbench_kind
from .numbers import CaseKind
from .selectors import (
    can_use_workbench,
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


def workbench_view(view):
    """Admin access is checked by Wagtail (register_admin_urls); this adds the staff scope."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.workbench_scope = staff_scope(request.user)  # PermissionDenied if not staff
        return view(request, *args, **kwargs)

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
        },
        status=200 if listing.page is not None else 400,
    )


def _organisation(request) -> Organisation | None:
    profile = getattr(request.user, "staff_profile", None)
    return profile.organisation if profile else None


def _detail_response(request, case, wk, *, bound=None, status=200):
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
