"""系统设置 › 从通知导入节假日安排: paste the State Council's notice, check the days it was read
as, confirm (portal/holiday_notice.py); and the warning on the dashboard and the workbench from
1 November until next year's schedule is entered."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.components import Component

from .holiday_notice import parse_notice, schedule_import
from .workdays import WorkdayYear, missing_schedule_years

PERMISSION = "portal.add_workdayyear"
TEXT_LIMIT = 20_000


@require_http_methods(["GET", "POST"])
def holiday_notice_import(request):
    if not request.user.has_perm(PERMISSION):
        return permission_denied(request)
    text = request.POST.get("text", "")[:TEXT_LIMIT]
    context = {"text": text, "schedule": None}
    if request.method == "POST" and text.strip():
        schedule = parse_notice(text)
        context["schedule"] = schedule
        if schedule.year is not None:
            existing = WorkdayYear.objects.filter(year=schedule.year).first()
            context["existing"] = existing
            context["existing_days"] = existing.days.count() if existing else 0
        if "confirm" in request.POST and schedule.ok:
            calendar_year = schedule_import(schedule, source=request.POST.get("source", ""))
            messages.success(
                request,
                gettext("已保存%(year)d年节假日安排：放假%(h)d天，调休上班%(w)d天。")
                % {
                    "year": calendar_year.year,
                    "h": len(schedule.holidays),
                    "w": len(schedule.workdays),
                },
            )
            return redirect(
                reverse("wagtailsnippets_portal_workdayyear:edit", args=[calendar_year.pk])
            )
    elif request.method == "POST":
        context["empty"] = True
    return TemplateResponse(request, "portal/workdays/notice_import.html", context)


def schedule_warning(user) -> dict | None:
    """What to tell a staff user about missing schedules today, or None."""
    years = missing_schedule_years(timezone.localdate())
    if not years:
        return None
    can_enter = user.has_perm(PERMISSION)
    return {
        "years": years,
        "years_text": "、".join(str(y) for y in years),
        "import_url": reverse("portal_holiday_notice_import") if can_enter else "",
    }


class ScheduleWarningPanel(Component):
    """At the top of the dashboard (construct_homepage_panels in portal/wagtail_hooks.py)."""

    name = "workday_schedule_warning"
    template_name = "portal/workdays/schedule_warning.html"
    order = 10

    def __init__(self, warning: dict):
        self.warning = warning

    def get_context_data(self, parent_context):
        return {"warning": self.warning}
