"""A year of finished demo cases of one kind, so the 区县排位 (/hdjl/pw/) has on-time figures for
every district: used by services/demo/league.py (applications, complaints) and
disclosure/demo/league.py (依申请公开), each with its own model and fields.

Bulk-created (no timeline, no notices) for speed; every case is closed, so none appears among a
handler's open work. Case numbers are real ones (kind, day, check character) with serials from
900001 up, far above what a day's submissions reach, and their query codes are thrown away: no
one can look them up. Each district has its own punctuality, so the table ranks them. Seeded, so
every load makes the same history; idempotent: nothing is created once a case of the kind
carries the marker in its deadline explanation."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.cases.codes import hash_query_code
from portal.cases.numbers import format_case_number
from portal.organisations import Organisation, OrganisationKind
from portal.workdays import WorkdayCalendarError, add_working_days

DAYS = 365
SERIAL_BASE = 900_000
# district code → share of cases finished within their deadline (the rest a few days late)
PUNCTUALITY = {"002479001": 0.96, "002482001": 0.9, "002486001": 0.84}
SURNAMES = "王李张刘陈杨黄赵周吴"
MARKER = "演示历史数据（区县排位）"


def _due(day, limit_days, cache):
    key = (day, limit_days)
    if key not in cache:
        try:
            cache[key] = add_working_days(day, limit_days)
        except WorkdayCalendarError:  # a year without its holiday schedule
            cache[key] = day + timedelta(days=limit_days * 7 // 5)
    return cache[key]


def districts() -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.DISTRICT, live=True, is_active=True
        ).order_by("sort_order", "code")
    )


@transaction.atomic
def load_history(
    model,
    *,
    seed: int,
    per_month: tuple[float, float],
    limit_days: int,
    statuses: tuple[str, ...],
    fields,
) -> int:
    """Create the year of closed `model` cases (one transaction); the number created.

    `fields(rng, district, day)` gives each case its kind's own fields (service item, subject,
    reply …) and may name the organisation handling it (default: the district itself);
    `statuses` the closed statuses to draw from (the first most often)."""
    kind = model.KIND
    today = timezone.localdate()
    if model.objects.filter(deadline_explanation=MARKER).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo history, not a secret
    tz = timezone.get_current_timezone()
    cache: dict = {}
    rows = []
    serials: dict = {}  # day → the last serial given
    for district in districts():
        punctual = PUNCTUALITY.get(district.code, rng.uniform(0.8, 0.95))
        rate = rng.uniform(*per_month) / 30
        for offset in range(DAYS, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for _ in range(sum(1 for _ in range(4) if rng.random() < rate * 7 / 5 / 4)):
                due = _due(day, limit_days, cache)
                if due >= today:
                    continue  # still running: the demo keeps no open case
                serial = serials[day] = serials.get(day, SERIAL_BASE) + 1
                if rng.random() < punctual:
                    closed_day = due - timedelta(days=rng.randint(0, max(limit_days // 2, 1)))
                    closed_day = max(closed_day, day + timedelta(days=1))
                else:
                    closed_day = due + timedelta(days=rng.randint(1, 6))
                closed_day = min(closed_day, today - timedelta(days=1))
                submitted = timezone.make_aware(
                    datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59))), tz
                )
                closed = timezone.make_aware(
                    datetime.combine(closed_day, time(rng.randint(9, 17), rng.randint(0, 59))), tz
                )
                values = dict(
                    case_number=format_case_number(kind, day, serial),
                    query_code_hash=hash_query_code(f"DEMO{rng.getrandbits(40):X}"),
                    status=rng.choice(statuses) if rng.random() < 0.1 else statuses[0],
                    organisation=district,
                    applicant_name=rng.choice(SURNAMES) + "某",
                    applicant_phone=f"139{rng.randint(0, 99_999_999):08d}",
                    submitted_at=submitted,
                    clock_start=day,
                    limit_days=limit_days,
                    due_date=due,
                    deadline_explanation=MARKER,
                    closed_at=closed,
                    result="已办结（演示数据）",
                )
                values.update(fields(rng, district, day))
                rows.append(model(**values))
    model.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
