"""报表 › 满意度调查: the figures of the staff member's subtree (a superuser: all), the review of
free-text answers (审核文字意见: approve or reject, POST), and 复制为新版本 of a questionnaire.

Who: `portal.view_survey_report` for the report, `portal.review_survey_text` for the review;
superusers both. No page shows a case number, a name or a contact."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from portal.errors import PortalError
from portal.organisations import subtree_ids, user_organisation

from .actions import questionnaire_new_version, survey_text_review
from .models import Questionnaire, ReviewStatus
from .selectors import pending_texts, survey_report, survey_years

REPORT_PERMISSION = "portal.view_survey_report"
REVIEW_PERMISSION = "portal.review_survey_text"


def can_see_report(user) -> bool:
    return bool(user.is_superuser or user.has_perm(REPORT_PERMISSION))


def can_review(user) -> bool:
    return bool(user.is_superuser or user.has_perm(REVIEW_PERMISSION))


def scope(user) -> set[int] | None:
    if user.is_superuser:
        return None
    organisation = user_organisation(user)
    return subtree_ids(organisation) if organisation else set()


class SurveyReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_report(request.user) or can_review(request.user)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_http_methods(["GET", "HEAD"])
def survey_report_view(request):
    if not can_see_report(request.user):
        if can_review(request.user):
            return redirect("portal_survey_review")
        raise PermissionDenied
    years = survey_years()
    year = _int(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else timezone.localdate().year
    month = _int(request.GET.get("month"))
    if month not in range(1, 13):
        month = None
    report = survey_report(year=year, month=month, organisation_ids=scope(request.user), texts=50)
    return TemplateResponse(
        request,
        "portal/surveys/admin_report.html",
        {
            **report,
            "years": years or [year],
            "month_choices": range(1, 13),
            "questionnaires": Questionnaire.objects.order_by("-created_at")[:20],
            "can_review": can_review(request.user),
            "organisation": user_organisation(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def survey_review_view(request):
    if not can_review(request.user):
        raise PermissionDenied
    organisation_ids = scope(request.user)
    if request.method == "POST":
        status = request.POST.get("status", "")
        try:
            survey_text_review(
                answer_id=_int(request.POST.get("answer"), 0),
                status=status,
                user=request.user,
                organisation_ids=organisation_ids,
            )
        except PortalError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已通过，可以公开。")
                if status == ReviewStatus.APPROVED
                else _("已设为不予公开。"),
            )
        return redirect("portal_survey_review")
    count, rows = pending_texts(organisation_ids=organisation_ids)
    return TemplateResponse(
        request,
        "portal/surveys/admin_review.html",
        {"count": count, "rows": rows, "statuses": ReviewStatus},
    )


@require_POST
def questionnaire_new_version_view(request, pk: int):
    if not (request.user.is_superuser or request.user.has_perm("portal.add_questionnaire")):
        raise PermissionDenied
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    copy = questionnaire_new_version(questionnaire=questionnaire)
    messages.success(
        request, _("已复制为第%(v)s版，修改后启用即可用于下月抽样。") % {"v": copy.version}
    )
    return redirect("wagtailsnippets_portal_questionnaire:edit", copy.pk)
