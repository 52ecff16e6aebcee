"""A booking world: build_world's centre takes bookings for 结婚登记 (both parties, 2 seats per
30-minute slot) and 最低生活保障 (1 seat), weekdays 9:00–11:30 and Saturdays 9:00–10:00."""

import itertools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from portal.privacy import id_check_char
from services.appointments.actions import slots_generate
from services.appointments.models import BookableService, OpeningPeriod
from tests.services.world import build_world

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Thursday; the window (30 days, closing 2 hours before) reaches 2026-10-17.
NOW = datetime(2026, 9, 17, 10, 0, tzinfo=SHANGHAI)
_ids = itertools.count(1)


def id_number(n: int | None = None) -> str:
    """A valid 18-digit ID number, a new one each call unless `n` is given."""
    body = f"31010119900307{(n if n is not None else next(_ids)) % 1000:03d}"
    return body + id_check_char(body)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


def add_bookable(centre, guide, *, capacity=2, both_parties=False, counter="综合窗口"):
    bookable = BookableService.objects.create(
        centre=centre, guide=guide, capacity=capacity, both_parties=both_parties, counter=counter
    )
    OpeningPeriod.objects.bulk_create(
        [
            OpeningPeriod(bookable=bookable, weekday=d, start=time(9), end=time(11, 30))
            for d in range(5)
        ]
        + [OpeningPeriod(bookable=bookable, weekday=5, start=time(9), end=time(10))]
    )
    return bookable


def booking_world() -> dict:
    w = build_world()
    w["marriage_booking"] = add_bookable(
        w["centre"], w["marriage"], capacity=2, both_parties=True, counter="婚姻登记窗口"
    )
    w["dibao_booking"] = add_bookable(w["centre"], w["dibao"], capacity=1)
    for bookable in (w["marriage_booking"], w["dibao_booking"]):
        slots_generate(bookable=bookable, start=date(2026, 9, 17), end=date(2026, 10, 20))
    return w


def book_kwargs(w, *, guide="marriage", start=None, **extra) -> dict:
    kwargs = {
        "centre": w["orgs"]["centre_a1"].code,
        "service": w[guide].code,
        "start": start
        if isinstance(start, str)
        else (start or at(date(2026, 9, 21), 9)).isoformat(),
        "name": "张三",
        "id_number": id_number(),
        "phone": "13812341234",
        "now": NOW,
    }
    if guide == "marriage":
        kwargs.update(partner_name="李四", partner_id_number=id_number())
    kwargs.update(extra)
    return kwargs
