"""办件查询 (/cx/) for every case kind: the lookup by case number and query code, then the case as
the applicant may see it, with its follow-ups — the kind's 补正 form, 好差评 once finished, and
撤回 where the kind allows it.

Secrets never travel in a URL: the lookup is a POST, followed by a redirect to GET /cx/, which
shows the case this session has proved (portal/cases/access.py). Every answer is no-store. What
differs per kind comes from its `WorkbenchKind` hooks (`lookup_template`, `lookup_context`,
`correct`, `citizen_withdraw`)."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import PortalError, RateLimited
from portal.http import no_store
from portal.idempotency import new_form_token, run_once_per_form_token
from portal.registry import Slot
from portal.security import ratelimit
from portal.security.csrf import same_origin_post

from . import access
from .actions import case_withdraw
from .errors import CaseError
from .kinds import workbench_kind
from .lookup import case_lookup, case_public_view
from .numbers import normalise_case_number
from .ratings import rating_choices, rating_for_case, record_rating

LOOKUP_URL = "/cx/"
# Corrections sent from /cx/ per client address per hour (every kind together).
CORRECTION_LIMIT = ratelimit.Limit("case-correction", 10, 3600)
# Another app's reference typed into the /cx/ box (a booking reference, services/appointments):
# provider(request, number) answers the request, or None when the number is not one of its own.
other_lookup = Slot("other_lookup", default=lambda request, number: None)


def rate_limited(request, exc: CaseError):
    """The one answer to a lookup refused for too many failures, on every lookup page: 429 with
    the Chinese reason and Retry-After, never stored."""
    response = render(request, "429.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
    return no_store(response)


def _lookup_context(request, case) -> dict:
    wk = workbench_kind(case.KIND)
    rating = rating_for_case(case.case_number)
    context = {
        "case": case,
        "view": case_public_view(case),
        "kind_template": wk.lookup_template,
        "rating": rating,
        "can_rate": rating is None and case.is_closed and case.status != "withdrawn",
        "rating_choices": rating_choices(),
        "can_withdraw": wk.citizen_withdraw
        and "withdraw" in {t.action for t in case.available_actions("citizen")},
    }
    if wk.lookup_context is not None:
        context.update(wk.lookup_context(case))
    if context.get("can_correct"):
        context["correction_token"] = new_form_token()
    return context


@same_origin_post  # the home page's lookup box is on a cached page, without a CSRF token
@require_http_methods(["GET", "POST"])
def lookup(request):
    """POST case_number + query_code → the case (then PRG to GET /cx/, which shows the case this
    session may see for 30 minutes). Errors: a specific one for a malformed number, the same one
    for an unknown number and a wrong code, 429 when rate-limited."""
    context: dict = {"form": {}, "error": None, "field_errors": {}}
    status = 200
    if request.method == "POST":
        if request.POST.get("leave"):
            access.leave(request)
            return HttpResponseRedirect(request.path)
        case_number = request.POST.get("case_number", "")
        query_code = request.POST.get("query_code", "")
        answer = other_lookup(request, normalise_case_number(case_number))
        if answer is not None:
            return answer
        context["form"] = {"case_number": normalise_case_number(case_number)[:20]}
        try:
            case = case_lookup(
                case_number=case_number,
                query_code=query_code,
                client=ratelimit.client_ip(request),
            )
        except CaseError as exc:
            if exc.status == 429:
                return rate_limited(request, exc)
            context["error"] = exc.message
            context["field_errors"] = exc.errors
            status = 422 if exc.status == 422 else 404
        else:
            access.grant(request, case.case_number)
            return no_store(HttpResponseRedirect(request.path))
    else:
        case = access.current_case(request)
        if case is not None:
            context.update(_lookup_context(request, case))
            context["message"] = request.session.pop("case-message", None)
    return no_store(render(request, "portal/cases/lookup.html", context, status=status))


def _follow_up(request, fn):
    case = access.current_case(request)
    if case is None:
        return no_store(HttpResponseRedirect(LOOKUP_URL))
    try:
        message = fn(case)
    except PortalError as exc:
        context = _lookup_context(request, case)
        context.update(
            {
                "form": {},
                "follow_up_error": exc.message,
                "field_errors": exc.errors,
                "posted": request.POST,
            }
        )
        return no_store(render(request, "portal/cases/lookup.html", context, status=exc.status))
    request.session["case-message"] = message
    return no_store(HttpResponseRedirect(LOOKUP_URL))


@require_POST
def lookup_correction(request):
    """The citizen's answer to a 补正 request (the kind's `correct` hook: an application's files
    and note, a disclosure request's corrected description). Only for the case this session proved
    with its query code; once per form token (a double click submits once); rate-limited per
    client."""
    client = ratelimit.client_ip(request)

    def do(case):
        correct = workbench_kind(case.KIND).correct
        if correct is None:
            raise CaseError(_("该类办件不支持网上补正。"))

        def submit() -> tuple[int, dict]:
            if ratelimit.is_limited(CORRECTION_LIMIT, client):
                raise RateLimited(
                    _("补正提交过于频繁，请一小时后再试，或携带材料到承办机构窗口办理。")
                )
            message = correct(case, request)
            ratelimit.hit(CORRECTION_LIMIT, client)
            return 200, {"case_number": case.case_number, "message": message}

        _status, answer = run_once_per_form_token(
            scope=f"web-correction:{case.case_number}",
            token=request.POST.get("form_token", ""),
            fn=submit,
        )
        return answer["message"]

    return _follow_up(request, do)


@require_POST
def lookup_rating(request):
    def do(case):
        record_rating(
            case=case, score=request.POST.get("score"), comment=request.POST.get("comment", "")
        )
        return _("感谢您的评价。")

    return _follow_up(request, do)


@require_POST
def lookup_withdraw(request):
    def do(case):
        if not workbench_kind(case.KIND).citizen_withdraw:
            raise CaseError(_("该类办件不支持网上撤回。"))
        if request.POST.get("confirm") != "1":
            raise CaseError(_("请勾选确认撤回。"), {"confirm": [_("请确认您要撤回申请。")]})
        case_withdraw(case, note=request.POST.get("note", ""))
        return _("申请已撤回。")

    return _follow_up(request, do)
