"""The citizen's pages of 预约办理, all never cached (`/yy/` and `/cx/` are in the front cache's
never list, and every answer is no-store):

- `/yy/?service=<code>` (from a guide page) or `/yy/?centre=<code>` (from a centre page): choose
  the centre or the service;
- `/yy/<centre>/<service>/`: choose a day and a slot, enter name, ID number and phone (both
  parties for 结婚登记); a one-time form token makes a double click book once;
- `/yy/done/`: the reference and the code, shown once, and `/yy/ics/` the calendar file;
- `/cx/yy/`: look the booking up by reference + code (also reached from the /cx/ box), then move
  it once (`/cx/yy/move/`) or cancel it (`/cx/yy/cancel/`).

Secrets never travel in a URL: lookups are POSTs followed by a redirect; which booking this browser
has proved is kept in the session for 30 minutes."""

import time

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import PortalError
from portal.http import content_disposition, no_store
from portal.idempotency import new_form_token, run_once_per_form_token, valid_form_token
from portal.security import ratelimit

from .actions import (
    appointment_book,
    appointment_cancel,
    appointment_lookup,
    appointment_move,
    book_limit,
)
from .errors import AppointmentRateLimited
from .forms import AppointmentLookupForm, BookingForm
from .ics import appointment_ics
from .models import Appointment
from .numbers import parse_reference
from .selectors import (
    appointment_public_view,
    bookable_get,
    centre_bookables_by_code,
    guide_bookables_by_code,
    slot_days,
    slot_list,
)

PROVED = "appointment-proved"
DONE = "appointment-done"
PROVED_SECONDS = 30 * 60
LOOKUP_URL = "/cx/yy/"


def _rate_limited(request, exc: PortalError):
    response = render(request, "429.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
    return no_store(response)


@require_http_methods(["GET", "HEAD"])
def book_start(request):
    """Choose the centre (coming from a guide) or the service (coming from a centre)."""
    service = request.GET.get("service", "")[:60]
    centre = request.GET.get("centre", "")[:40]
    if service and centre:
        return HttpResponseRedirect(f"/yy/{centre}/{service}/")
    context = {"choices": [], "mode": ""}
    if service:
        context.update(mode="centre", choices=guide_bookables_by_code(code=service))
    elif centre:
        context.update(mode="service", choices=centre_bookables_by_code(code=centre))
    status = 200 if context["choices"] else 404
    return no_store(render(request, "services/appointments/start.html", context, status=status))


@require_http_methods(["GET", "POST"])
def book(request, centre: str, service: str):
    try:
        bookable = bookable_get(centre=centre, service=service)
    except PortalError:
        raise Http404(_("该受理中心未开放此事项的预约。")) from None
    token = request.POST.get("form_token", "") if request.method == "POST" else ""
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = ratelimit.client_ip(request)

        def create() -> tuple[int, dict]:
            if ratelimit.is_limited(book_limit(), client):
                raise AppointmentRateLimited(
                    _("预约过于频繁，请一小时后再试。"),
                    retry_after=ratelimit.retry_after(book_limit()),
                )
            appointment, code = appointment_book(
                centre=centre,
                service=service,
                start=data["start"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                partner_name=data["partner_name"],
                partner_id_number=data["partner_id_number"],
            )
            ratelimit.hit(book_limit(), client)
            return 201, {"reference": appointment.reference, "code": code}

        try:
            _status, answer = run_once_per_form_token(
                scope="web-appointment", token=token, fn=create
            )
        except AppointmentRateLimited as exc:
            return _rate_limited(request, exc)
        except PortalError as exc:
            if not exc.errors:
                form.add_error(None, exc.message)
            for field, messages in exc.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            request.session[DONE] = {**answer, "ts": time.time()}
            _prove(request, answer["reference"])
            return no_store(HttpResponseRedirect("/yy/done/"))
    slots = slot_list(bookable=bookable)
    context = {
        "bookable": bookable,
        "centre": bookable.centre,
        "guide": bookable.guide,
        "days": slot_days(slots),
        "form": form,
        "data": form.data if form.is_bound else {},
        "errors": form.errors if form.is_bound else {},
        "error_summary": form.error_summary() if form.is_bound else [],
        "form_token": token if valid_form_token(token) else new_form_token(),
        "close_hours": settings.APPOINTMENTS["close_hours"],
        "open_days": settings.APPOINTMENTS["open_days"],
    }
    status = 422 if form.is_bound and form.errors else 200
    return no_store(render(request, "services/appointments/book.html", context, status=status))


def _prove(request, reference: str) -> None:
    request.session[PROVED] = {"reference": reference, "until": time.time() + PROVED_SECONDS}


def _proved(request) -> Appointment | None:
    entry = request.session.get(PROVED) or {}
    if not entry or entry.get("until", 0) < time.time():
        return None
    return (
        Appointment.objects.select_related("slot", "bookable__centre__organisation", "guide")
        .filter(reference=entry.get("reference"))
        .first()
    )


@require_http_methods(["GET", "HEAD"])
def book_done(request):
    """The confirmation: the reference and the code, the code only on the first view."""
    appointment = _proved(request)
    if appointment is None:
        return no_store(HttpResponseRedirect(LOOKUP_URL))
    done = request.session.pop(DONE, None) or {}
    code = done.get("code", "") if done.get("reference") == appointment.reference else ""
    context = {"view": appointment_public_view(appointment), "code": code}
    return no_store(render(request, "services/appointments/done.html", context))


@require_http_methods(["GET", "HEAD"])
def book_ics(request):
    appointment = _proved(request)
    if appointment is None:
        raise Http404(_("请先查询预约。"))
    body = appointment_ics(appointment, site_name=getattr(settings, "WAGTAIL_SITE_NAME", ""))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{appointment.reference}.ics")
    return no_store(response)


@require_http_methods(["GET", "POST"])
def lookup(request):
    """POST reference + code → the booking (then PRG to GET /cx/yy/)."""
    if request.method == "POST":
        if request.POST.get("leave"):
            request.session.pop(PROVED, None)
            return no_store(HttpResponseRedirect(LOOKUP_URL))
        return _lookup_post(
            request, request.POST.get("reference", ""), request.POST.get("code", "")
        )
    context: dict = {"form": AppointmentLookupForm(), "error": None}
    appointment = _proved(request)
    if appointment is not None:
        context.update(_booking_context(request, appointment))
    return no_store(render(request, "services/appointments/lookup.html", context))


def _lookup_post(request, reference: str, code: str):
    form = AppointmentLookupForm({"reference": reference, "code": code})
    context: dict = {"form": form, "error": None}
    if not form.is_valid():
        context["error"] = _("输入的内容含有不允许的字符。")
        return no_store(render(request, "services/appointments/lookup.html", context, status=422))
    try:
        appointment = appointment_lookup(
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
            client=ratelimit.client_ip(request),
        )
    except AppointmentRateLimited as exc:
        return _rate_limited(request, exc)
    except PortalError as exc:
        context["error"] = exc.message
        status = exc.status if exc.status in (404, 422) else 400
        return no_store(
            render(request, "services/appointments/lookup.html", context, status=status)
        )
    _prove(request, appointment.reference)
    return no_store(HttpResponseRedirect(LOOKUP_URL))


def _booking_context(request, appointment: Appointment) -> dict:
    view = appointment_public_view(appointment)
    context = {"view": view, "message": request.session.pop("appointment-message", None)}
    if view["can_move"]:
        context["days"] = slot_days(
            [s for s in slot_list(bookable=appointment.bookable) if s.pk != appointment.slot_id]
        )
    return context


def _change(request, fn):
    """Move or cancel the booking this session proved; the code is asked again."""
    appointment = _proved(request)
    if appointment is None:
        return no_store(HttpResponseRedirect(LOOKUP_URL))
    try:
        fn(appointment, ratelimit.client_ip(request))
    except AppointmentRateLimited as exc:
        return _rate_limited(request, exc)
    except PortalError as exc:
        context = _booking_context(request, appointment)
        context["change_error"] = exc.message
        context["form"] = AppointmentLookupForm()
        status = exc.status if exc.status in (404, 409, 422) else 400
        return no_store(
            render(request, "services/appointments/lookup.html", context, status=status)
        )
    return no_store(HttpResponseRedirect(LOOKUP_URL))


@require_POST
def lookup_move(request):
    def move(appointment, client):
        moved = appointment_move(
            reference=appointment.reference,
            code=request.POST.get("code", "")[:40],
            start=request.POST.get("start", "")[:40],
            client=client,
        )
        start = timezone.localtime(moved.slot.start)
        request.session["appointment-message"] = _("已改约到%(t)s。") % {
            "t": start.strftime("%Y-%m-%d %H:%M")
        }

    return _change(request, move)


@require_POST
def lookup_cancel(request):
    def cancel(appointment, client):
        appointment_cancel(
            reference=appointment.reference, code=request.POST.get("code", "")[:40], client=client
        )
        request.session["appointment-message"] = _("预约已取消。")

    return _change(request, cancel)


def cx_lookup(request, number: str):
    """The /cx/ box with a booking reference (portal.cases.views asks through its slot): the same
    lookup as /cx/yy/. Returns None for numbers that are not booking references."""
    try:
        parse_reference(number)
    except PortalError:
        return None
    return _lookup_post(request, number, request.POST.get("query_code", ""))
