"""Reads of 预约办理 for the pages and the API, each a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.organisations import Organisation, OrganisationKind
from portal.privacy import mask_id_number, mask_name, mask_phone

from .actions import booking_window
from .errors import AppointmentInvalid, AppointmentNotFound
from .models import Appointment, AppointmentStatus, BookableService, Slot

MAX_RANGE_DAYS = 62


def bookable_get(*, centre: str, service: str) -> BookableService:
    """One query; AppointmentNotFound for an unknown centre/service or one not open for booking."""
    bookable = (
        BookableService.objects.select_related("centre__organisation", "guide")
        .filter(
            centre__organisation__code=(centre or "").strip(),
            guide__code=(service or "").strip(),
            is_active=True,
            centre__live=True,
            guide__live=True,
        )
        .first()
    )
    if bookable is None:
        raise AppointmentNotFound(_("该受理中心未开放此事项的预约。"))
    return bookable


def slot_list(
    *,
    bookable: BookableService,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """The bookable slots of `bookable` from `start` to `end` (inside the booking window; closed
    slots left out, full ones kept with free = 0). One query."""
    earliest, last_day = booking_window(now)
    start = start or timezone.localdate(earliest)
    end = end or last_day
    if end < start:
        raise AppointmentInvalid(
            _("结束日期不能早于开始日期。"), {"to": [_("结束日期不能早于开始日期。")]}
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise AppointmentInvalid(
            _("一次最多查询%(n)d天。") % {"n": MAX_RANGE_DAYS},
            {"to": [_("查询范围过大。")]},
        )
    return list(
        Slot.objects.filter(
            bookable=bookable,
            day__range=(start, min(end, last_day)),
            start__gte=earliest,
            closed_reason="",
        ).order_by("start")
    )


def slot_days(slots: list[Slot]) -> list[dict]:
    """The slots grouped by day for the booking page: [{day, slots, free}]."""
    days: dict[date, dict] = {}
    for slot in slots:
        entry = days.setdefault(slot.day, {"day": slot.day, "slots": [], "free": 0})
        entry["slots"].append(slot)
        entry["free"] += slot.free
    return list(days.values())


def guide_bookables_by_code(*, code: str) -> list[BookableService]:
    """The centres where the guide with `code` can be booked. One query."""
    return list(
        BookableService.objects.select_related("guide", "centre__organisation")
        .filter(guide__code=code, guide__live=True, is_active=True, centre__live=True)
        .order_by("centre__title")
    )


def centre_bookables_by_code(*, code: str) -> list[BookableService]:
    """The services the centre of organisation `code` takes bookings for. One query."""
    return list(
        BookableService.objects.select_related("guide", "centre__organisation")
        .filter(
            centre__organisation__code=code, centre__live=True, is_active=True, guide__live=True
        )
        .order_by("guide__title")
    )


def appointment_public_view(appointment: Appointment) -> dict:
    """What the citizen sees: masked personal data, the time and the place."""
    slot = appointment.slot
    centre = appointment.bookable.centre
    return {
        "reference": appointment.reference,
        "status": appointment.status,
        "status_label": str(appointment.get_status_display()),
        "start": timezone.localtime(slot.start).isoformat(),
        "end": timezone.localtime(slot.end).isoformat(),
        "centre": centre.organisation.code if centre.organisation_id else "",
        "centre_name": centre.title,
        "address": centre.address,
        "service": appointment.guide.code,
        "service_name": appointment.guide.title,
        "moved": appointment.moved_at is not None,
        "can_move": appointment.moved_at is None and appointment.status == AppointmentStatus.BOOKED,
        "can_cancel": appointment.status == AppointmentStatus.BOOKED,
        "note": appointment.status_note,
        "name": mask_name(appointment.name),
        "id_number": mask_id_number(appointment.id_number),
        "phone": mask_phone(appointment.phone),
        "partner_name": mask_name(appointment.partner_name),
        "partner_id_number": mask_id_number(appointment.partner_id_number),
    }


def day_bookings(
    *, organisation_ids: set[int] | None, day: date, centre_id: int | None = None
) -> list[Appointment]:
    """A day's bookings of the caller's organisations, by counter and time. One query."""
    qs = Appointment.objects.select_related(
        "slot", "bookable__centre", "guide", "application"
    ).filter(day=day)
    if organisation_ids is not None:
        qs = qs.filter(bookable__centre__organisation_id__in=organisation_ids)
    if centre_id is not None:
        qs = qs.filter(bookable__centre_id=centre_id)
    return list(qs.order_by("bookable__counter", "slot__start", "pk"))


def staff_bookables(*, organisation_ids: set[int] | None) -> list[BookableService]:
    qs = BookableService.objects.select_related("centre", "guide")
    if organisation_ids is not None:
        qs = qs.filter(centre__organisation_id__in=organisation_ids)
    return list(qs.order_by("centre__title", "counter", "guide__title"))


def appointment_figures(*, organisation_ids: set[int] | None, start: date, end: date) -> dict:
    """Bookings, no-show rate and average days waited between booking and visit. One query."""
    qs = Appointment.objects.filter(day__range=(start, end))
    if organisation_ids is not None:
        qs = qs.filter(bookable__centre__organisation_id__in=organisation_ids)
    rows = list(qs.values_list("status", "created_at", "day"))
    total = len(rows)
    no_show = sum(1 for status, _c, _d in rows if status == AppointmentStatus.NO_SHOW)
    attended = sum(1 for status, _c, _d in rows if status == AppointmentStatus.CHECKED_IN)
    waits = [(day - timezone.localdate(created)).days for _s, created, day in rows]
    due = no_show + attended
    return {
        "bookings": total,
        "checked_in": attended,
        "no_show": no_show,
        "no_show_rate": round(no_show / due, 4) if due else None,
        "average_wait_days": round(sum(waits) / total, 1) if total else None,
    }


def appointment_figures_by_district(*, start: date, end: date) -> list[dict]:
    """预约办理 for the evaluation pages: per district bureau (with the centres below it), the
    bookings whose day falls in [start, end), how many came (签到), how many did not (爽约), the
    no-show rate (爽约 ÷ (到场 + 爽约)) and the average days waited between booking and visit.
    Two queries (the organisation tree, the bookings grouped by centre, status and dates),
    whatever the number of bookings."""
    orgs = list(
        Organisation.objects.filter(live=True, is_active=True)
        .order_by("sort_order", "code")
        .values("pk", "parent_id", "code", "name", "kind")
    )
    parent = {o["pk"]: o["parent_id"] for o in orgs}
    districts = {o["pk"]: o for o in orgs if o["kind"] == OrganisationKind.DISTRICT}

    def district_of(pk):
        seen = set()
        while pk is not None and pk not in districts and pk not in seen:
            seen.add(pk)
            pk = parent.get(pk)
        return pk if pk in districts else None

    totals = {pk: {"bookings": 0, "checked_in": 0, "no_show": 0, "wait": 0} for pk in districts}
    grouped = (
        Appointment.objects.filter(day__gte=start, day__lt=end)
        .annotate(booked_on=TruncDate("created_at"))
        .values("bookable__centre__organisation_id", "status", "day", "booked_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        district = district_of(row["bookable__centre__organisation_id"])
        if district is None:
            continue
        figures = totals[district]
        figures["bookings"] += row["n"]
        figures["wait"] += (row["day"] - row["booked_on"]).days * row["n"]
        if row["status"] == AppointmentStatus.CHECKED_IN:
            figures["checked_in"] += row["n"]
        elif row["status"] == AppointmentStatus.NO_SHOW:
            figures["no_show"] += row["n"]
    rows = []
    for pk, org in districts.items():
        f = totals[pk]
        came_or_not = f["checked_in"] + f["no_show"]
        rows.append(
            {
                "code": org["code"],
                "name": org["name"],
                "bookings": f["bookings"],
                "checked_in": f["checked_in"],
                "no_show": f["no_show"],
                "no_show_rate": round(f["no_show"] / came_or_not, 4) if came_or_not else None,
                "average_wait_days": round(f["wait"] / f["bookings"], 1) if f["bookings"] else None,
            }
        )
    return rows
