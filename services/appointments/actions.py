"""Every write of 预约办理, one transaction each.

- `slots_generate(bookable=, start=, end=)`: the slot rows of a date range from the weekly opening
  periods and the working-day calendar (portal/workdays.py): nothing on an official holiday, a
  make-up working day on a weekend opens with Monday's hours, a day of a year the calendar does
  not know is skipped (never a guess); closed days (`Closure`) get closed slots. Idempotent.
- `appointment_book(...)`: locks the slot row (SELECT … FOR UPDATE), so of N people booking the last
  seat exactly one gets it; the database also refuses `booked > capacity` and a second active
  booking of one ID number for one service on one day (a partial unique index).
- `appointment_lookup`, `appointment_cancel`, `appointment_move` (once): by reference + code, with
  the case lookup's protection (failures per client address per hour, unknown reference and wrong
  code answered the same).
- staff: `appointment_check_in`, `appointment_no_show`, `appointment_to_case`, `slots_close`
  (a day or one slot, with a reason; the people booked are told by SMS).
- 预约设置: `bookable_service_save` (a service and its periods as the admin form gives them, and
  `bookable_slots_sync` of its coming slots, in one transaction; a seat count below an existing
  slot's bookings is refused)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases.actions import case_create
from portal.cases.codes import check_query_code, generate_query_code, hash_query_code
from portal.notify import notify
from portal.privacy import validate_id_number, validate_phone
from portal.security import ratelimit
from portal.workdays import WorkdayCalendarError, get_calendar
from services.models import Application

from .errors import (
    AppointmentInvalid,
    AppointmentNotFound,
    AppointmentRateLimited,
    BookingRefused,
    SlotUnavailable,
)
from .models import (
    Appointment,
    AppointmentStatus,
    BookableService,
    Closure,
    OpeningPeriod,
    Slot,
)
from .numbers import next_reference, parse_reference

logger = logging.getLogger(__name__)

MAX_NAME = 50
# Failed lookups per client address per hour (the case lookup's rule) and bookings per hour.
LOOKUP_LIMIT = ratelimit.Limit("appointment-lookup", 30, 3600)


def book_limit() -> ratelimit.Limit:
    return ratelimit.Limit("appointment-book", settings.APPOINTMENTS["book_per_client"], 3600)


def _conf(name: str) -> int:
    return int(settings.APPOINTMENTS[name])


def booking_window(now: datetime | None = None) -> tuple[datetime, date]:
    """(earliest bookable slot start, last bookable day) at `now`."""
    now = now or timezone.now()
    earliest = now + timedelta(hours=_conf("close_hours"))
    last_day = timezone.localdate(now) + timedelta(days=_conf("open_days"))
    return earliest, last_day


# --- slots ------------------------------------------------------------------------------------


def _day_periods(periods: list[OpeningPeriod], day: date, calendar) -> list[OpeningPeriod]:
    try:
        info = calendar.day(day)
    except WorkdayCalendarError:
        return []  # the calendar does not know this year yet: no slots rather than a guess
    weekday = day.weekday()
    if not info.is_workday and info.name:
        return []  # an official holiday
    if info.is_workday and weekday >= 5:
        weekday = 0  # a make-up working day: a working weekday's hours
    return [p for p in periods if p.weekday == weekday]


def _planned_slots(bookable: BookableService, start: date, end: date) -> list[Slot]:
    """The slots the opening periods and the calendar give `bookable` for start..end (unsaved)."""
    calendar = get_calendar()
    periods = list(bookable.periods.all())
    closed = {
        c.day: c.reason
        for c in Closure.objects.filter(
            centre_id=bookable.centre_id, day__range=(start, end)
        ).filter(bookable__isnull=True)
        | Closure.objects.filter(bookable=bookable, day__range=(start, end))
    }
    tz = timezone.get_current_timezone()
    step = timedelta(minutes=bookable.slot_minutes)
    rows = []
    day = start
    while day <= end:
        for period in _day_periods(periods, day, calendar):
            at = datetime.combine(day, period.start, tzinfo=tz)
            stop = datetime.combine(day, period.end, tzinfo=tz)
            while at + step <= stop:
                rows.append(
                    Slot(
                        bookable=bookable,
                        day=day,
                        start=at,
                        end=at + step,
                        capacity=bookable.capacity,
                        closed_reason=closed.get(day, ""),
                    )
                )
                at += step
        day += timedelta(days=1)
    return rows


def slots_generate(*, bookable: BookableService, start: date, end: date) -> int:
    """Create the missing slots of `bookable` for the days start..end; returns how many."""
    rows = _planned_slots(bookable, start, end)
    with transaction.atomic():
        before = Slot.objects.filter(bookable=bookable, day__range=(start, end)).count()
        Slot.objects.bulk_create(rows, ignore_conflicts=True)
        return Slot.objects.filter(bookable=bookable, day__range=(start, end)).count() - before


def slots_generate_all(*, today: date | None = None) -> int:
    """Every active bookable service's slots from today to the end of the booking window."""
    today = today or timezone.localdate()
    end = today + timedelta(days=_conf("open_days"))
    total = 0
    for bookable in BookableService.objects.filter(is_active=True).prefetch_related("periods"):
        total += slots_generate(bookable=bookable, start=today, end=end)
    return total


# --- booking ----------------------------------------------------------------------------------


def _clean_person(name: str, id_number: str, phone: str, errors: dict, prefix: str = "") -> tuple:
    name = (name or "").strip()
    if not name:
        errors[f"{prefix}name"] = [_("请填写姓名。")]
    elif len(name) > MAX_NAME:
        errors[f"{prefix}name"] = [_("姓名不能超过%(n)d个字。") % {"n": MAX_NAME}]
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        errors[f"{prefix}id_number"] = exc.messages
    if phone is not None:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    return name, id_number, phone


def bookable_for(*, centre: str, service: str, errors: dict) -> BookableService | None:
    """The active bookable service of a centre (its organisation's code) and a guide (its code)."""
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
        errors["service"] = [_("该受理中心未开放此事项的预约。")]
    return bookable


def _parse_start(value, errors: dict) -> datetime | None:
    if isinstance(value, datetime):
        start = value
    else:
        try:
            start = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            errors["start"] = [
                _("预约时间格式不正确，应为 ISO 8601，如 2026-12-07T09:00:00+08:00。")
            ]
            return None
    if timezone.is_naive(start):
        start = timezone.make_aware(start, timezone.get_current_timezone())
    return start


def _check_window(slot: Slot, now: datetime) -> None:
    earliest, last_day = booking_window(now)
    if slot.closed_reason:
        raise SlotUnavailable(
            _("该时段已停止预约：%(r)s") % {"r": slot.closed_reason},
            {"start": [_("该时段已停止预约。")]},
        )
    if slot.start < earliest:
        raise AppointmentInvalid(
            _("该时段已截止预约（须在开始前%(h)d小时预约）。") % {"h": _conf("close_hours")},
            {"start": [_("该时段已截止预约。")]},
        )
    if slot.day > last_day:
        raise AppointmentInvalid(
            _("只能预约%(n)d天内的时段。") % {"n": _conf("open_days")},
            {"start": [_("该时段尚未开放预约。")]},
        )


def _check_no_shows(id_number: str, now: datetime) -> None:
    since = timezone.localdate(now) - timedelta(days=_conf("no_show_days"))
    missed = Appointment.objects.filter(
        id_number=id_number, status=AppointmentStatus.NO_SHOW, day__gte=since
    ).count()
    if missed >= _conf("no_show_limit"):
        raise BookingRefused(
            _("您在%(d)d天内已有%(n)d次预约未到场，暂不能网上预约，请直接到窗口办理或致电咨询。")
            % {"d": _conf("no_show_days"), "n": missed},
            {"id_number": [_("预约未到场次数过多。")]},
        )


def _take_seat(slot_id: int) -> Slot:
    """Lock the slot row and take a seat; SlotUnavailable when it is full."""
    slot = Slot.objects.select_for_update().select_related("bookable").get(pk=slot_id)
    if slot.booked >= slot.capacity:
        raise SlotUnavailable(_("该时段已约满，请选择其他时段。"), {"start": [_("该时段已约满。")]})
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    slot.booked += 1
    return slot


def _release_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _same_day_conflict() -> SlotUnavailable:
    return SlotUnavailable(
        _("同一身份证号码当天已预约此事项，如需改时间请先查询原预约。"),
        {"id_number": [_("当天已有此事项的预约。")]},
    )


def _sms(appointment: Appointment, template: str, **extra) -> None:
    centre = appointment.bookable.centre
    notify(
        phone=appointment.phone,
        email=None,
        template=template,
        context={
            "reference": appointment.reference,
            "service_name": appointment.guide.title,
            "centre_name": centre.title,
            "address": centre.address,
            "start": timezone.localtime(appointment.slot.start).strftime("%Y-%m-%d %H:%M"),
            "phone": centre.phone,
            **extra,
        },
        organisation=centre.organisation,
        reference=appointment.reference,
    )


def appointment_book(
    *,
    centre: str,
    service: str,
    start,
    name: str,
    id_number: str,
    phone: str,
    partner_name: str = "",
    partner_id_number: str = "",
    now: datetime | None = None,
) -> tuple[Appointment, str]:
    """Book one seat. `centre` is the centre's organisation code, `service` the guide's code,
    `start` the slot's start. All input errors at once (AppointmentInvalid), then in one
    transaction: the slot locked, its window, the person's no-shows and same-day bookings checked,
    a seat taken, the booking saved and the SMS queued. Returns (appointment, code shown once)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    name, id_number, phone = _clean_person(name, id_number, phone, errors)
    bookable = bookable_for(centre=centre, service=service, errors=errors)
    starts_at = _parse_start(start, errors)
    partner_name = (partner_name or "").strip()
    partner_id_number = (partner_id_number or "").strip()
    if bookable is not None and bookable.both_parties:
        partner_name, partner_id_number, _phone = _clean_person(
            partner_name, partner_id_number, None, errors, prefix="partner_"
        )
        if "partner_id_number" not in errors and partner_id_number == id_number:
            errors["partner_id_number"] = [_("双方的身份证号码不能相同。")]
    elif partner_name or partner_id_number:
        partner_name, partner_id_number = "", ""  # only asked where both parties come
    slot_id = None
    if bookable is not None and starts_at is not None:
        slot_id = (
            Slot.objects.filter(bookable=bookable, start=starts_at)
            .values_list("pk", flat=True)
            .first()
        )
        if slot_id is None:
            errors["start"] = [_("该时间不是可预约的时段。")]
    if errors:
        raise AppointmentInvalid(_("预约信息有误，请修改后重新提交。"), errors)

    with transaction.atomic():
        slot = _take_seat(slot_id)
        _check_window(slot, now)
        _check_no_shows(id_number, now)
        if Appointment.objects.filter(
            id_number=id_number,
            guide_id=bookable.guide_id,
            day=slot.day,
            status=AppointmentStatus.BOOKED,
        ).exists():
            raise _same_day_conflict()
        code = generate_query_code()
        appointment = Appointment(
            reference=next_reference(timezone.localdate(now)),
            code_hash=hash_query_code(code),
            slot=slot,
            bookable=bookable,
            guide=bookable.guide,
            day=slot.day,
            name=name,
            id_number=id_number,
            phone=phone,
            partner_name=partner_name,
            partner_id_number=partner_id_number,
        )
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            raise _same_day_conflict() from None
        _sms(appointment, "appointment_booked")
    return appointment, code


# --- the citizen's lookup, move and cancel -----------------------------------------------------


def appointment_lookup(*, reference: str, code: str, client: str) -> Appointment:
    """The booking for a reference and its code; unknown and wrong code are the same 404."""
    reference = parse_reference(reference)
    if not (code or "").strip():
        raise AppointmentInvalid(_("请输入预约码。"), {"code": [_("此项为必填项。")]})
    if ratelimit.is_limited(LOOKUP_LIMIT, client):
        raise AppointmentRateLimited(
            _("查询失败次数过多，请一小时后再试。"),
            retry_after=ratelimit.retry_after(LOOKUP_LIMIT),
        )
    appointment = (
        Appointment.objects.select_related(
            "slot", "bookable__centre__organisation", "guide", "application"
        )
        .filter(reference=reference)
        .first()
    )
    if not check_query_code(code, appointment.code_hash if appointment else None):
        ratelimit.hit(LOOKUP_LIMIT, client)
        raise AppointmentNotFound(_("预约号或预约码不正确。"))
    return appointment


def _locked(appointment_id: int) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "bookable__centre__organisation", "guide")
        .get(pk=appointment_id)
    )


def _require_booked(appointment: Appointment, now: datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise SlotUnavailable(
            _("该预约当前状态为“%(s)s”，不能修改。") % {"s": appointment.get_status_display()}
        )
    if appointment.slot.start <= now:
        raise SlotUnavailable(_("预约时间已过，不能修改。"))


def appointment_cancel(
    *, reference: str, code: str, client: str, now: datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    found = appointment_lookup(reference=reference, code=code, client=client)
    with transaction.atomic():
        appointment = _locked(found.pk)
        _require_booked(appointment, now)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.save(update_fields=["status", "cancelled_at"])
        _release_seat(appointment.slot_id)
        _sms(appointment, "appointment_cancelled")
    return appointment


def appointment_move(
    *, reference: str, code: str, start, client: str, now: datetime | None = None
) -> Appointment:
    """Move a booking to another slot of the same service and centre, once."""
    now = now or timezone.now()
    found = appointment_lookup(reference=reference, code=code, client=client)
    errors: dict[str, list[str]] = {}
    starts_at = _parse_start(start, errors)
    if errors:
        raise AppointmentInvalid(_("预约信息有误，请修改后重新提交。"), errors)
    target = (
        Slot.objects.filter(bookable_id=found.bookable_id, start=starts_at)
        .values_list("pk", flat=True)
        .first()
    )
    if target is None:
        raise AppointmentInvalid(
            _("该时间不是可预约的时段。"), {"start": [_("该时间不是可预约的时段。")]}
        )
    with transaction.atomic():
        appointment = _locked(found.pk)
        _require_booked(appointment, now)
        if appointment.moved_at is not None:
            raise SlotUnavailable(_("每个预约只能改约一次；如需再改，请取消后重新预约。"))
        if target == appointment.slot_id:
            raise AppointmentInvalid(
                _("新时段与原时段相同。"), {"start": [_("请选择另一个时段。")]}
            )
        slot = _take_seat(target)
        _check_window(slot, now)
        if (
            slot.day != appointment.day
            and Appointment.objects.filter(
                id_number=appointment.id_number,
                guide_id=appointment.guide_id,
                day=slot.day,
                status=AppointmentStatus.BOOKED,
            ).exists()
        ):
            raise _same_day_conflict()
        _release_seat(appointment.slot_id)
        appointment.slot = slot
        appointment.day = slot.day
        appointment.moved_at = now
        try:
            with transaction.atomic():
                appointment.save(update_fields=["slot", "day", "moved_at"])
        except IntegrityError:
            raise _same_day_conflict() from None
        _sms(appointment, "appointment_moved")
    return appointment


# --- staff --------------------------------------------------------------------------------------


def _staff_locked(appointment_id: int, organisation_ids: set[int] | None) -> Appointment:
    try:
        appointment = _locked(appointment_id)
    except Appointment.DoesNotExist:
        raise AppointmentNotFound(_("未找到该预约。")) from None
    org_id = appointment.bookable.centre.organisation_id
    if organisation_ids is not None and org_id not in organisation_ids:
        raise AppointmentNotFound(_("未找到该预约。"))
    return appointment


def appointment_check_in(
    *, appointment_id: int, organisation_ids: set[int] | None, now: datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _staff_locked(appointment_id, organisation_ids)
        if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW):
            raise SlotUnavailable(
                _("该预约当前状态为“%(s)s”，不能签到。") % {"s": appointment.get_status_display()}
            )
        if appointment.day != timezone.localdate(now):
            raise SlotUnavailable(_("只能为当天的预约签到。"))
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.checked_in_at = now
        appointment.save(update_fields=["status", "checked_in_at"])
    return appointment


def appointment_no_show(
    *, appointment_id: int, organisation_ids: set[int] | None, now: datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _staff_locked(appointment_id, organisation_ids)
        if appointment.status != AppointmentStatus.BOOKED:
            raise SlotUnavailable(
                _("该预约当前状态为“%(s)s”，不能标记未到场。")
                % {"s": appointment.get_status_display()}
            )
        if appointment.slot.start > now:
            raise SlotUnavailable(_("预约时间未到，不能标记未到场。"))
        appointment.status = AppointmentStatus.NO_SHOW
        appointment.save(update_fields=["status"])
    return appointment


def appointment_to_case(
    *, appointment_id: int, organisation_ids: set[int] | None, actor=None
) -> tuple[Application, str]:
    """The service starts at the counter: an application of the booking's guide, with the
    booked person as applicant (materials are checked at the counter). Returns (application,
    query code — give it to the applicant there, once)."""
    with transaction.atomic():
        appointment = _staff_locked(appointment_id, organisation_ids)
        if appointment.status != AppointmentStatus.CHECKED_IN:
            raise SlotUnavailable(_("请先为到场的申请人签到，再转为办件。"))
        if appointment.application_id is not None:
            raise SlotUnavailable(
                _("该预约已转为办件%(n)s。") % {"n": appointment.application.case_number}
            )
        guide = appointment.guide
        application = Application(
            service=guide,
            organisation=guide.organisation,
            applicant_name=appointment.name,
            applicant_id_number=appointment.id_number,
            applicant_phone=appointment.phone,
            fields={},
            limit_days=guide.promised_limit_days,
        )
        application, query_code = case_create(
            application,
            actor=actor,
            note=_("窗口受理（预约号%(r)s）。") % {"r": appointment.reference},
        )
        appointment.application = application
        appointment.save(update_fields=["application"])
    return application, query_code


def slots_close(
    *,
    bookable: BookableService,
    day: date,
    reason: str,
    slot_start: time | None = None,
    actor=None,
    now: datetime | None = None,
) -> int:
    """Stop bookings for a day (or one slot of it) with a reason; every booking in it is cancelled
    and its holder told by SMS. Returns how many bookings were cancelled."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise AppointmentInvalid(_("请填写停止预约的原因。"), {"reason": [_("此项为必填项。")]})
    if len(reason) > 200:
        raise AppointmentInvalid(_("原因不能超过200个字。"), {"reason": [_("原因过长。")]})
    with transaction.atomic():
        slots = Slot.objects.select_for_update().filter(bookable=bookable, day=day)
        if slot_start is not None:
            tz = timezone.get_current_timezone()
            slots = slots.filter(start=datetime.combine(day, slot_start, tzinfo=tz))
            if not slots.exists():
                raise AppointmentInvalid(
                    _("该日没有这个时段。"), {"slot": [_("该日没有这个时段。")]}
                )
        else:
            Closure.objects.create(
                centre=bookable.centre, bookable=bookable, day=day, reason=reason, created_by=actor
            )
        slot_ids = list(slots.values_list("pk", flat=True))
        Slot.objects.filter(pk__in=slot_ids).update(closed_reason=reason, booked=0)
        affected = list(
            Appointment.objects.select_related(
                "slot", "bookable__centre__organisation", "guide"
            ).filter(slot_id__in=slot_ids, status=AppointmentStatus.BOOKED)
        )
        for appointment in affected:
            appointment.status = AppointmentStatus.CLOSED
            appointment.status_note = reason
            appointment.cancelled_at = now
            _sms(appointment, "appointment_closed", reason=reason)
        Appointment.objects.bulk_update(affected, ["status", "status_note", "cancelled_at"])
    return len(affected)


# --- 预约设置 (staff set up a bookable service) ---------------------------------------------------

PATTERN_CHANGED = "开放时间已调整"


def bookable_capacity_conflicts(
    *, bookable: BookableService, capacity: int, now: datetime | None = None
) -> list[Slot]:
    """The coming slots of a saved bookable service that already hold more bookings than
    `capacity` (a new capacity may never drop a booking). One query."""
    if bookable.pk is None:
        return []
    now = now or timezone.now()
    return list(
        Slot.objects.filter(bookable_id=bookable.pk, start__gt=now, booked__gt=capacity).order_by(
            "start"
        )[:5]
    )


def _capacity_error(slots: list[Slot], capacity: int) -> AppointmentInvalid:
    first = slots[0]
    message = _(
        "已有时段的预约人数超过新的每个时段可预约人数%(c)d：%(t)s 已约%(n)d人。"
        "已有的预约不会被取消，每个时段可预约人数不能少于已预约人数。"
    ) % {
        "c": capacity,
        "t": timezone.localtime(first.start).strftime("%Y-%m-%d %H:%M"),
        "n": first.booked,
    }
    return AppointmentInvalid(message, {"capacity": [message]})


def bookable_slots_sync(
    *, bookable: BookableService, today: date | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Bring the coming slots (from now to the end of the booking window) of `bookable` in line
    with its settings: slots the pattern still gives take the new capacity, missing ones are
    created; a coming slot the pattern no longer gives is deleted when nobody ever booked it,
    closed (“开放时间已调整”) when only cancelled bookings refer to it, and kept with no free
    seat (capacity = booked) when it holds bookings — a booking is never dropped. Past slots are
    not touched. An inactive service is left as it is (nobody can book it)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    end = today + timedelta(days=_conf("open_days"))
    result = {"created": 0, "updated": 0, "removed": 0, "kept": 0}
    if not bookable.is_active:
        return result
    with transaction.atomic():
        planned = {
            row.start: row for row in _planned_slots(bookable, today, end) if row.start > now
        }
        existing = list(
            Slot.objects.select_for_update()
            .filter(bookable=bookable, day__range=(today, end), start__gt=now)
            .order_by("start")
        )
        if any(slot.booked > bookable.capacity for slot in existing):
            raise _capacity_error(
                [s for s in existing if s.booked > bookable.capacity], bookable.capacity
            )
        matching, stale = [], []
        for slot in existing:
            row = planned.get(slot.start)
            (matching if row is not None and row.end == slot.end else stale).append(slot)
        result["updated"] = (
            Slot.objects.filter(pk__in=[s.pk for s in matching])
            .exclude(capacity=bookable.capacity)
            .update(capacity=bookable.capacity)
        )
        referenced = set(
            Appointment.objects.filter(slot__in=[s.pk for s in stale]).values_list(
                "slot_id", flat=True
            )
        )
        booked = [s for s in stale if s.booked > 0]
        for slot in booked:
            Slot.objects.filter(pk=slot.pk).update(capacity=slot.booked)
        result["kept"] = len(booked)
        unused = [s.pk for s in stale if s.booked == 0 and s.pk not in referenced]
        Slot.objects.filter(pk__in=unused).delete()
        Slot.objects.filter(
            pk__in=[s.pk for s in stale if s.booked == 0 and s.pk in referenced]
        ).update(closed_reason=PATTERN_CHANGED)
        result["removed"] = len(stale) - len(booked)
        taken = {s.start for s in existing if s.pk not in unused}
        rows = [row for start, row in planned.items() if start not in taken]
        Slot.objects.bulk_create(rows, ignore_conflicts=True)
        result["created"] = len(rows)
    return result


def bookable_service_save(
    *, bookable: BookableService, now: datetime | None = None
) -> tuple[BookableService, dict[str, int]]:
    """Save a bookable service set up in the admin — with its opening periods (a cluster, as the
    admin form gives it) — and (re)generate its coming slots, in one transaction. A capacity below
    the bookings an existing slot holds is refused (AppointmentInvalid, on `capacity`)."""
    now = now or timezone.now()
    with transaction.atomic():
        if bookable.pk is not None:
            BookableService.objects.select_for_update().filter(pk=bookable.pk).first()
            conflicts = bookable_capacity_conflicts(
                bookable=bookable, capacity=bookable.capacity, now=now
            )
            if conflicts:
                raise _capacity_error(conflicts, bookable.capacity)
        bookable.save()
        result = bookable_slots_sync(bookable=bookable, now=now)
    return bookable, result
