"""依申请公开 online: the form (/xxgk/ysqgk/), the check-answers step, the one-time confirmation,
and the applicant's reply page with the private reply files."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.cases import access
from portal.cases.errors import CaseError
from portal.cases.lookup import case_lookup
from portal.cases.views import rate_limited
from portal.errors import PortalError
from portal.http import private_download
from portal.idempotency import new_form_token, run_once_per_form_token
from portal.organisations import StaffProfile, subtree_ids
from portal.security import ratelimit
from portal.security.quotas import QuotaExceeded, quota_response, submission_quota
from portal.uploads import files as uploads

from .actions import information_request_submit
from .forms import InformationRequestForm
from .models import InformationRequest
from .selectors import request_check_answers, request_for_applicant

DRAFT_KEY = "ysqgk_draft"
DONE_KEY = "ysqgk_done"


@never_cache
@require_http_methods(["GET", "POST"])
def request_form(request):
    if request.method == "POST":
        form = InformationRequestForm(request.POST)
        if form.is_valid():
            request.session[DRAFT_KEY] = form.submission()
            return redirect("disclosure_request_confirm")
    else:
        draft = request.session.get(DRAFT_KEY)
        form = InformationRequestForm(initial=draft or {"applicant_type": "natural_person"})
    return render(request, "disclosure/requests/form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def request_confirm(request):
    """Check your answers, then submit once: the page carries a one-time form token
    (portal/idempotency.py), so a double click or a resubmission creates one request and shows the
    same confirmation."""
    draft = request.session.get(DRAFT_KEY)
    if request.method == "POST":
        if draft:
            form = InformationRequestForm(draft)
            if not form.is_valid():  # e.g. the organisation was deactivated meanwhile
                return render(request, "disclosure/requests/form.html", {"form": form})

        def create() -> tuple[int, dict]:
            if not draft:
                raise CaseError(_("申请已提交或已过期，请重新填写。"))
            submission_quota(
                client=ratelimit.client_ip(request),
                applicant=draft.get("applicant_id_number") or draft.get("credit_code") or "",
            )
            case, query_code = information_request_submit(**draft)
            return 201, {
                "case_number": case.case_number,
                "query_code": query_code,
                "due_date": case.due_date.isoformat() if case.due_date else "",
                "received_on": case.received_on.isoformat(),
                "organisation": case.organisation.name,
            }

        try:
            _status, done = run_once_per_form_token(
                scope="web-disclosure-request", token=request.POST.get("form_token", ""), fn=create
            )
        except QuotaExceeded as exc:
            return quota_response(request, exc)
        except PortalError as exc:
            messages.error(request, exc.message)
            return redirect("disclosure_request_form")
        request.session.pop(DRAFT_KEY, None)
        request.session[DONE_KEY] = done
        return redirect("disclosure_request_done")
    if not draft:
        return redirect("disclosure_request_form")
    return render(
        request,
        "disclosure/requests/confirm.html",
        {"rows": request_check_answers(draft), "form_token": new_form_token()},
    )


@never_cache
def request_done(request):
    """Shows the case number and the query code once: they leave the session as they are shown."""
    done = request.session.pop(DONE_KEY, None)
    if not done:
        return render(request, "disclosure/requests/done_expired.html", status=410)
    done["due_date"] = date.fromisoformat(done["due_date"]) if done["due_date"] else None
    done["received_on"] = date.fromisoformat(done["received_on"])
    return render(request, "disclosure/requests/done.html", {"done": done})


# -- the applicant's reply page ----------------------------------------------------------------


def _may_see_reply(request, case: InformationRequest) -> bool:
    if access.may_see(request, case.case_number):
        return True
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser:
        return True
    profile = StaffProfile.objects.filter(user=user).select_related("organisation").first()
    return bool(profile and case.organisation_id in subtree_ids(profile.organisation))


@never_cache
@require_http_methods(["GET", "POST"])
def reply_lookup(request):
    error = ""
    if request.method == "POST":
        try:
            case = case_lookup(
                case_number=request.POST.get("case_number", ""),
                query_code=request.POST.get("query_code", ""),
                client=ratelimit.client_ip(request),
            )
        except CaseError as exc:
            if exc.status == 429:
                return rate_limited(request, exc)
            error = exc.message
        else:
            if isinstance(case, InformationRequest):
                access.grant(request, case.case_number)
                return redirect("disclosure_request_reply", case_number=case.case_number)
            error = _("该编号不是政府信息公开申请，请到办件查询页面查询。")
    return render(
        request,
        "disclosure/requests/reply_lookup.html",
        {"error": error},
        status=422 if error else 200,
    )


@never_cache
def reply_detail(request, case_number: str):
    case = request_for_applicant(case_number)
    if case is None or not _may_see_reply(request, case):
        return redirect(reverse("disclosure_request_reply_lookup"))
    return render(request, "disclosure/requests/reply.html", {"case": case})


@never_cache
def reply_file(request, case_number: str, pk: int):
    case = request_for_applicant(case_number)
    if case is None or not _may_see_reply(request, case):
        raise Http404
    item = next((f for f in case.reply_files.all() if f.pk == pk), None)
    if item is None:
        raise Http404
    try:
        handle = uploads.private_storage().open(item.stored_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = item.content_type if uploads.extension_for(item.content_type) else None
    return private_download(
        handle,
        filename=uploads.download_filename(item.download_label, item.content_type),
        content_type=content_type or uploads.OCTET_STREAM,
    )
