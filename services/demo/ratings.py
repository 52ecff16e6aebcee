"""Demo 好差评 history for /hdjl/hcp/ (好差评结果公开): a year of plausible ratings, ending
yesterday, for every live service guide (rated against the guide's organisation) and for the
districts' 依申请公开 and 监督投诉 (no service item). Most are 非常满意 or 满意; each organisation
has its own slightly different mix; about one in twelve is a 差评, whose follow-up is due in 5
working days and is mostly closed within them, a few late and the most recent still open.

Seeded, so every load makes the same history. The ratings belong to no real case: their numbers
start with "DM", a prefix no case kind uses, so they never collide with a real rating. Idempotent:
nothing is created once a "DM" rating exists."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.organisations import Organisation, OrganisationKind
from portal.workdays import WorkdayCalendarError, add_working_days
from services.models import Rating, ServiceGuidePage

PREFIX = "DM"
SEED = 2026_15
DAYS = 365
# score → base weight (5 非常满意 … 1 非常不满意)
BASE_WEIGHTS = {5: 62, 4: 21, 3: 9, 2: 5, 1: 3}


def _due(day, cache: dict):
    if day not in cache:
        try:
            cache[day] = add_working_days(day, 5)
        except WorkdayCalendarError:
            cache[day] = day + timedelta(days=7)  # a year without its holiday schedule
    return cache[day]


@transaction.atomic
def load(*, stdout=None) -> str:
    if Rating.objects.filter(case_number__startswith=PREFIX).exists():
        return "好差评记录：已存在，未新建"
    rng = random.Random(SEED)  # noqa: S311 - a reproducible demo history, not a secret
    guides = list(
        ServiceGuidePage.objects.live()
        .filter(organisation__live=True)
        .select_related("organisation")
    )
    districts = list(
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT, live=True, is_active=True)
    )
    # (organisation, service item or None, case kind, ratings a month on average)
    sources = [(g.organisation, g, "application", rng.uniform(4, 22)) for g in guides]
    sources += [(d, None, "disclosure_request", rng.uniform(1, 4)) for d in districts]
    sources += [(d, None, "complaint", rng.uniform(1, 3)) for d in districts]
    mood = {}  # organisation → how much its 差评 weights are scaled
    for org, _g, _k, _n in sources:
        mood.setdefault(org.pk, rng.choice((0.5, 0.8, 1.0, 1.0, 1.3, 1.8)))
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    now = timezone.now()
    due_cache: dict = {}
    rows, created_at = [], []
    seq = 0
    for day_offset in range(DAYS, 0, -1):
        day = today - timedelta(days=day_offset)
        weekend = day.weekday() >= 5
        for org, guide, kind, per_month in sources:
            expected = per_month / 30 * (0.3 if weekend else 1.25)
            count = sum(1 for _ in range(3) if rng.random() < expected / 3)
            for _ in range(count):
                seq += 1
                scale = mood[org.pk]
                weights = [BASE_WEIGHTS[s] * (scale if s <= 2 else 1) for s in (5, 4, 3, 2, 1)]
                score = rng.choices((5, 4, 3, 2, 1), weights)[0]
                at = timezone.make_aware(
                    datetime.combine(day, time(rng.randint(8, 19), rng.randint(0, 59))), tz
                )
                rating = Rating(
                    case_kind=kind,
                    case_number=f"{PREFIX}{day:%Y%m%d}{seq:06d}",
                    organisation=org,
                    service=guide,
                    score=score,
                )
                if score <= 2:
                    due = _due(day, due_cache)
                    rating.follow_up_due = due
                    took = timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 6, 7, 9, 12)), hours=3)
                    closed = at + took
                    if closed < now and rng.random() < 0.95:
                        rating.follow_up_status = "done"
                        rating.follow_up_closed_at = closed
                        rating.follow_up_note = "已电话回访评价人，说明情况并改进窗口服务。"
                    else:
                        rating.follow_up_status = "open"
                rows.append(rating)
                created_at.append(at)
    Rating.objects.bulk_create(rows, batch_size=1000)
    # created_at is set on insert (auto_now_add): give each rating its own moment afterwards.
    for rating, at in zip(rows, created_at, strict=True):
        rating.created_at = at
    Rating.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    summary = f"好差评记录：新建{len(rows)}条（{DAYS}天）"
    if stdout is not None:
        stdout.write(summary)
    return summary
