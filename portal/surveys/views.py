"""Public pages of the surveys: the answer page behind a one-time link (/hdjl/wj/d/<token>/,
never cached) and the published results (/hdjl/wj/)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.errors import PortalError, ValidationFailed
from portal.frontcache.policy import public_cache
from portal.idempotency import new_form_token, run_once_per_form_token, valid_form_token

from .actions import survey_answer_submit
from .errors import SurveyLinkUsed
from .forms import SurveyAnswerForm
from .selectors import invitation_for_answer, survey_report, survey_years


def _link_error(request, exc: PortalError):
    return render(
        request, "portal/surveys/link_error.html", {"message": exc.message}, status=exc.status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request, token: str):
    """满意度问卷. The link's token is the only credential (stored hashed, one answer, expires);
    the form also carries a one-time form token, so a double click records one answer and both
    clicks see the thanks page."""
    form_token = request.POST.get("form_token", "") if request.method == "POST" else ""
    try:
        invitation, questions = invitation_for_answer(token)
    except SurveyLinkUsed as exc:
        if form_token and valid_form_token(form_token):
            # the twin of a double click: the first one's answer stands
            try:
                run_once_per_form_token(scope="web-survey", token=form_token, fn=_raise(exc))
            except PortalError:
                return _link_error(request, exc)
            return render(request, "portal/surveys/thanks.html")
        return _link_error(request, exc)
    except PortalError as exc:
        return _link_error(request, exc)
    form = SurveyAnswerForm(questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()

        def submit() -> tuple[int, dict]:
            done = survey_answer_submit(token=token, answers=answers)
            return 201, {"answered": done.answered_at.isoformat()}

        try:
            run_once_per_form_token(scope="web-survey", token=form_token, fn=submit)
        except ValidationFailed as exc:
            form.put_errors(exc.errors, exc.message)
        except PortalError as exc:
            if exc.errors.get("form_token"):
                form.put_errors({}, exc.message)
            else:
                return _link_error(request, exc)
        else:
            return render(request, "portal/surveys/thanks.html")
    return render(
        request,
        "portal/surveys/answer.html",
        {
            "questionnaire": invitation.draw.questionnaire,
            "organisation": invitation.organisation,
            "expires": timezone.localtime(invitation.expires_at),
            "form": form,
            "form_token": form_token if valid_form_token(form_token) else new_form_token(),
            "error_summary": form.error_summary() if form.is_bound else [],
        },
    )


def _raise(exc: PortalError):
    def fail() -> tuple[int, dict]:
        raise exc

    return fail


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@public_cache
@require_http_methods(["GET", "HEAD"])
def survey_results(request):
    """满意度调查结果: response rates and satisfaction per organisation and month, the answers per
    question, approved comments; rates only from the publication minimum up."""
    years = survey_years()
    today = timezone.localdate()
    year = _int(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else today.year
    month = _int(request.GET.get("month"))
    if month not in range(1, 13):
        month = None
    report = survey_report(year=year, month=month)
    return render(
        request,
        "portal/surveys/results.html",
        {
            **report,
            "years": years or [year],
            "months": range(1, 13),
            "month_rows": report["months"],
            "title": _("满意度调查结果"),
        },
    )
