"""办件工作台 › 预约签到: the day's bookings per counter of the staff member's organisations (case
handlers only, through `workbench_view`), with check-in, no-show, 转为办件 and closing a day or a
slot with a reason. ID numbers and phones are masked here, like the case list."""

from datetime import date, time

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.cases.admin_views import workbench_view
from portal.errors import PortalError
from portal.privacy import mask_id_number, mask_phone

from .actions import appointment_check_in, appointment_no_show, appointment_to_case, slots_close
from .models import BookableService
from .selectors import day_bookings, staff_bookables

URL = "/admin/workbench/appointments/"


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:
        return timezone.localdate()


@workbench_view
@require_http_methods(["GET", "HEAD"])
def day_list(request):
    day = _day(request)
    scope = request.workbench_scope
    bookings = day_bookings(organisation_ids=scope, day=day)
    counters: dict[str, list] = {}
    for appointment in bookings:
        appointment.masked_id = mask_id_number(appointment.id_number)
        appointment.masked_phone = mask_phone(appointment.phone)
        key = f"{appointment.bookable.centre.title} · {appointment.bookable.counter}"
        counters.setdefault(key, []).append(appointment)
    return TemplateResponse(
        request,
        "services/workbench/appointments.html",
        {
            "day": day,
            "counters": counters,
            "bookables": staff_bookables(organisation_ids=scope),
            "query_code": request.session.pop("appointment-case-code", None),
        },
    )


def _back(day: date):
    return HttpResponseRedirect(f"{URL}?day={day.isoformat()}")


@workbench_view
@require_POST
def act(request, appointment_id: int):
    day = _day(request)
    scope = request.workbench_scope
    action = request.POST.get("action", "")
    try:
        if action == "check_in":
            appointment_check_in(appointment_id=appointment_id, organisation_ids=scope)
            messages.success(request, _("已签到。"))
        elif action == "no_show":
            appointment_no_show(appointment_id=appointment_id, organisation_ids=scope)
            messages.success(request, _("已标记未到场。"))
        elif action == "to_case":
            application, code = appointment_to_case(
                appointment_id=appointment_id, organisation_ids=scope, actor=request.user
            )
            request.session["appointment-case-code"] = {
                "case_number": application.case_number,
                "query_code": code,
            }
        else:
            messages.error(request, _("不支持的操作。"))
    except PortalError as exc:
        messages.error(request, exc.message)
    return _back(day)


@workbench_view
@require_POST
def close(request):
    day = _day(request)
    scope = request.workbench_scope
    bookable = (
        BookableService.objects.select_related("centre")
        .filter(pk=request.POST.get("bookable") or 0)
        .filter(**({} if scope is None else {"centre__organisation_id__in": scope}))
        .first()
    )
    if bookable is None:
        messages.error(request, _("未找到该预约事项。"))
        return _back(day)
    slot_start = None
    if request.POST.get("slot"):
        try:
            slot_start = time.fromisoformat(request.POST["slot"])
        except ValueError:
            messages.error(request, _("时段格式应为 09:00。"))
            return _back(day)
    try:
        n = slots_close(
            bookable=bookable,
            day=day,
            slot_start=slot_start,
            reason=request.POST.get("reason", "")[:300],
            actor=request.user,
        )
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停止预约，%(n)d个预约已取消并短信通知。") % {"n": n})
    return _back(day)
