"""预约办理 in the demo site (`manage.py load_demo_data`): the marriage registry (a centre page for
上海市婚姻登记管理处, created if missing) takes bookings for 结婚登记 — both parties, four couples
per half hour — and the first two community centres for their first service item; a month of
slots from the working-day calendar and a dozen bookings (seeded, so every load is the same).
Idempotent: a second load adds nothing but the slots of days that came into the window."""

import random
from datetime import time, timedelta

from django.utils import timezone

from portal.organisations import Organisation
from portal.privacy import id_check_char
from services.models import ServiceCentreIndexPage, ServiceCentrePage, ServiceGuidePage

from .actions import appointment_book, slots_generate
from .errors import AppointmentInvalid, SlotUnavailable
from .models import Appointment, BookableService, OpeningPeriod, Slot

REGISTRY_CODE = "000014350"
MARRIAGE_CODE = "310000-MZ-HY-0001"
WEEKDAY_HOURS = ((time(9), time(11, 30)), (time(13, 30), time(16, 30)))
SATURDAY_HOURS = ((time(9), time(11, 30)),)
NAMES = (
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴霞",
    "徐强",
    "孙丽",
)


def _id_number(rng: random.Random) -> str:
    body = f"3101{rng.randint(1, 15):02d}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_check_char(body)


def _registry(marriage: ServiceGuidePage) -> ServiceCentrePage | None:
    organisation = Organisation.objects.filter(code=REGISTRY_CODE).first()
    if organisation is None:
        return None
    page = ServiceCentrePage.objects.filter(organisation=organisation).first()
    index = ServiceCentreIndexPage.objects.live().order_by("path").first()
    if page is None and index is not None:
        page = ServiceCentrePage(
            title=organisation.name,
            slug="hunyin-dengji-chu",
            organisation=organisation,
            district=organisation.district or "黄浦区",
            address=organisation.address,
            hours=organisation.hours or "周一至周五 9:00-11:30，13:30-16:30",
            phone=organisation.phone,
            notes="结婚登记须男女双方本人共同到场，请携带身份证、户口簿和近期2寸合影照片。",
        )
        index.add_child(instance=page)
        page.service_items = [marriage]
        page.save_revision().publish()
    return page


def _bookable(centre, guide, *, capacity, both_parties, counter, saturday) -> BookableService:
    bookable, created = BookableService.objects.get_or_create(
        centre=centre,
        guide=guide,
        defaults={
            "capacity": capacity,
            "both_parties": both_parties,
            "counter": counter,
            "slot_minutes": 30,
        },
    )
    if created:
        periods = [
            OpeningPeriod(bookable=bookable, weekday=d, start=s, end=e)
            for d in range(5)
            for s, e in WEEKDAY_HOURS
        ]
        if saturday:
            periods += [
                OpeningPeriod(bookable=bookable, weekday=5, start=s, end=e)
                for s, e in SATURDAY_HOURS
            ]
        OpeningPeriod.objects.bulk_create(periods)
    return bookable


def load(*, stdout=None) -> str:
    marriage = (
        ServiceGuidePage.objects.live().filter(code=MARRIAGE_CODE).first()
        or ServiceGuidePage.objects.live().filter(topic="marriage").order_by("code").first()
    )
    if marriage is None:
        return "no appointments (no marriage guide)"
    bookables = []
    registry = _registry(marriage)
    if registry is not None:
        bookables.append(
            _bookable(
                registry,
                marriage,
                capacity=4,
                both_parties=True,
                counter="结婚登记窗口",
                saturday=False,
            )
        )
    centres = (
        ServiceCentrePage.objects.live()
        .filter(organisation__kind="centre")
        .order_by("organisation__code")[:2]
    )
    for centre in centres:
        item = centre.service_items.live().order_by("code").first()
        if item is not None:
            bookables.append(
                _bookable(
                    centre,
                    item,
                    capacity=2,
                    both_parties=False,
                    counter="综合窗口",
                    saturday=True,
                )
            )
    today = timezone.localdate()
    slots = sum(
        slots_generate(bookable=b, start=today, end=today + timedelta(days=30)) for b in bookables
    )
    booked = 0
    if bookables and not Appointment.objects.filter(bookable__in=bookables).exists():
        rng = random.Random(17)  # noqa: S311 - reproducible demo data, not a secret
        now = timezone.now()
        for i, name in enumerate(NAMES):
            bookable = bookables[i % len(bookables)]
            candidates = list(
                Slot.objects.filter(
                    bookable=bookable, start__gte=now + timedelta(hours=3), closed_reason=""
                ).order_by("start")[:40]
            )
            if not candidates:
                continue
            slot = rng.choice(candidates)
            try:
                appointment_book(
                    centre=bookable.centre.organisation.code,
                    service=bookable.guide.code,
                    start=slot.start,
                    name=name,
                    id_number=_id_number(rng),
                    phone=f"139{rng.randint(10000000, 99999999)}",
                    partner_name=NAMES[-1 - i] if bookable.both_parties else "",
                    partner_id_number=_id_number(rng) if bookable.both_parties else "",
                    now=now,
                )
                booked += 1
            except (SlotUnavailable, AppointmentInvalid):
                continue
    summary = f"{len(bookables)} bookable services, {slots} new slots, {booked} bookings"
    if stdout is not None:
        stdout.write(f"Appointments: {summary}")
    return summary
