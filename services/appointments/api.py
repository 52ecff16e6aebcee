"""预约办理 API: the free slots of a service at a centre, booking, and the citizen's lookup, move
and cancel by reference + code (field names: DESIGN.md section 3). Never cached: the free seats
change with every booking (portal/frontcache/policy.py NEVER_PREFIXES)."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from portal.apiutils import ErrorOut
from portal.http import no_store
from portal.idempotency import fingerprint, run_idempotent
from portal.security import ratelimit

from .actions import (
    MAX_NAME,
    appointment_book,
    appointment_cancel,
    appointment_lookup,
    appointment_move,
    book_limit,
)
from .errors import AppointmentRateLimited
from .selectors import appointment_public_view, bookable_get, slot_list

router = Router(tags=["appointments"])


class SlotsQuery(Schema):
    centre: str = Field(..., description="受理中心（其机构代码）", max_length=40)
    service: str = Field(..., description="事项编码", max_length=60)
    date_from: date | None = Field(None, alias="from", description="开始日期，默认今天")
    date_to: date | None = Field(None, alias="to", description="结束日期，默认预约开放的最后一天")


class SlotOut(Schema):
    start: str
    end: str
    capacity: int
    free: int
    service: str


class AppointmentIn(Schema):
    centre: str = Field(..., max_length=40, description="受理中心（其机构代码）")
    service: str = Field(..., max_length=60, description="事项编码")
    start: str = Field(..., max_length=40, description="时段开始时间（ISO 8601，取自 slots）")
    name: str = Field(..., json_schema_extra={"minLength": 1, "maxLength": MAX_NAME})
    id_number: str
    phone: str
    partner_name: str = Field("", max_length=MAX_NAME, description="另一方姓名（需双方到场的事项）")
    partner_id_number: str = Field("", description="另一方身份证号码（需双方到场的事项）")


class AppointmentCreatedOut(Schema):
    reference: str
    code: str
    start: str
    end: str
    centre: str
    centre_name: str
    address: str
    service: str


class AppointmentCodeIn(Schema):
    reference: str
    code: str


class AppointmentMoveIn(Schema):
    reference: str
    code: str
    start: str = Field(..., max_length=40)


class AppointmentOut(Schema):
    reference: str
    status: str
    status_label: str
    start: str
    end: str
    centre: str
    centre_name: str
    address: str
    service: str
    service_name: str
    moved: bool
    can_move: bool
    can_cancel: bool
    note: str
    name: str
    id_number: str
    phone: str
    partner_name: str
    partner_id_number: str


def _slot_out(slot, service_code: str) -> dict:
    return {
        "start": timezone.localtime(slot.start).isoformat(),
        "end": timezone.localtime(slot.end).isoformat(),
        "capacity": slot.capacity,
        "free": slot.free,
        "service": service_code,
    }


@router.get(
    "/appointments/slots",
    operation_id="services_api_appointment_slots",
    response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut},
    summary="Bookable slots of a service at a centre (预约时段)",
)
def appointment_slots(request, response: HttpResponse, filters: Query[SlotsQuery]):
    """The slots from `from` to `to` (at most 62 days, inside the booking window: open N days
    ahead, closing M hours before the start), closed ones left out, full ones with `free` 0.
    No slot falls on an official holiday."""
    bookable = bookable_get(centre=filters.centre, service=filters.service)
    slots = slot_list(bookable=bookable, start=filters.date_from, end=filters.date_to)
    no_store(response)
    return [_slot_out(slot, bookable.guide.code) for slot in slots]


def _client_limited(client: str) -> None:
    if ratelimit.is_limited(book_limit(), client):
        raise AppointmentRateLimited(
            _("预约过于频繁，请一小时后再试。"), retry_after=ratelimit.retry_after(book_limit())
        )


@router.post(
    "/appointments",
    operation_id="services_api_create_appointment",
    response={
        201: AppointmentCreatedOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Book a slot (预约)",
)
def create_appointment(
    request,
    payload: AppointmentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Book one seat of a slot. 201 with the reference and the code (shown only this once: keep
    both to look the booking up, move it once or cancel it); 409 when the slot is full or closed
    or the ID number already has a booking of this service that day; 403 after too many
    no-shows; 429 after too many bookings from one client. For a service both parties attend
    (结婚登记) `partner_name` and `partner_id_number` are required. A retry with the same
    `Idempotency-Key` returns the first answer and books nothing more."""
    client = ratelimit.client_ip(request)

    def book():
        _client_limited(client)
        appointment, code = appointment_book(
            centre=payload.centre,
            service=payload.service,
            start=payload.start,
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            partner_name=payload.partner_name,
            partner_id_number=payload.partner_id_number,
        )
        ratelimit.hit(book_limit(), client)
        view = appointment_public_view(appointment)
        return 201, {
            "reference": appointment.reference,
            "code": code,
            **{k: view[k] for k in ("start", "end", "centre", "centre_name", "address", "service")},
        }

    status, body = run_idempotent(
        scope="appointments", key=idempotency_key, fingerprint=fingerprint(request.body), fn=book
    )
    return Status(status, body)


@router.post(
    "/appointments/lookup",
    operation_id="services_api_lookup_appointment",
    response={200: AppointmentOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Look a booking up (预约查询)",
)
def lookup_appointment(request, response: HttpResponse, payload: AppointmentCodeIn):
    """The booking for its reference and code, personal data masked. An unknown reference and a
    wrong code get the same 404; too many failures from one client, 429."""
    appointment = appointment_lookup(
        reference=payload.reference, code=payload.code, client=ratelimit.client_ip(request)
    )
    no_store(response)
    return appointment_public_view(appointment)


@router.post(
    "/appointments/cancel",
    operation_id="services_api_cancel_appointment",
    response={200: AppointmentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Cancel a booking (取消预约)",
)
def cancel_appointment(
    request,
    payload: AppointmentCodeIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Cancel a booking before its time; the seat is free again. 409 if it is no longer booked."""
    client = ratelimit.client_ip(request)

    def cancel():
        appointment = appointment_cancel(
            reference=payload.reference, code=payload.code, client=client
        )
        return 200, appointment_public_view(appointment)

    status, body = run_idempotent(
        scope="appointment-cancel",
        key=idempotency_key,
        fingerprint=fingerprint(request.body),
        fn=cancel,
    )
    return Status(status, body)


@router.post(
    "/appointments/move",
    operation_id="services_api_move_appointment",
    response={200: AppointmentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Move a booking once (改约)",
)
def move_appointment(
    request,
    payload: AppointmentMoveIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Move a booking to another slot of the same service and centre (`start` from slots), once.
    409 when the new slot is full, or the booking was moved before or is no longer booked."""
    client = ratelimit.client_ip(request)

    def move():
        appointment = appointment_move(
            reference=payload.reference, code=payload.code, start=payload.start, client=client
        )
        return 200, appointment_public_view(appointment)

    status, body = run_idempotent(
        scope="appointment-move",
        key=idempotency_key,
        fingerprint=fingerprint(request.body),
        fn=move,
    )
    return Status(status, body)
