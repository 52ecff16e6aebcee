"""A hand-counted world of 好差评 for the published figures (selectors, API, page).

November 2026 (all times +08:00):
  外滩街道社区事务受理服务中心 (centre_a1, under 黄浦区), guide 最低生活保障申请: 12 ratings
    scores 5,5,5,5,4,4,3,3 and four 差评 2,2,1,1:
      2 created 11-03 10:00, due 11-10, closed 11-09 10:00 → on time, 6 days
      2 created 11-03 10:00, due 11-10, closed 11-10 22:00 → on time, 7.5 days
      1 created 11-04 07:00, due 11-10, closed 11-11 07:00 → LATE (still 11-10 in UTC), 7 days
      1 created 11-05 09:00, due 11-20, open
  黄浦区民政局 itself: 1 rating, 4, no service item
  徐汇区民政局 (district_b), guide 临时救助申请: 3 ratings 5, 4, 2 (open)
Other periods, centre_a1: 10-15 a 5; 12-31 23:30 a 3 (still 2026 locally); 2027-01-01 00:30 a 1.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from services.models import Rating
from tests.services.case_fixtures import case_world, make_guide

SH = ZoneInfo("Asia/Shanghai")
_counter = iter(range(1, 10**7))


def at(month, day, hour=12, minute=0, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def rate(org, score, created, *, service=None, due=None, closed=None) -> Rating:
    status = "done" if closed else ("open" if score <= 2 else "")
    with freeze_time(created):
        return Rating.objects.create(
            case_kind="application",
            case_number=f"R{next(_counter):08d}",
            organisation=org,
            service=service,
            score=score,
            follow_up_status=status,
            follow_up_due=due,
            follow_up_closed_at=closed,
            follow_up_note="已回访" if closed else "",
        )


def figures_world() -> dict:
    world = case_world()
    tree = world["tree"]
    g1 = world["guide"]
    g2 = make_guide(world["bsfw"], tree["district_b"], code="310100-MZ-002", title="临时救助申请")
    centre = tree["centre_a1"]
    for score in (5, 5, 5, 5, 4, 4, 3, 3):
        rate(centre, score, at(11, 12), service=g1)
    due = date(2026, 11, 10)
    rate(centre, 2, at(11, 3, 10), service=g1, due=due, closed=at(11, 9, 10))
    rate(centre, 2, at(11, 3, 10), service=g1, due=due, closed=at(11, 10, 22))
    rate(centre, 1, at(11, 4, 7), service=g1, due=due, closed=at(11, 11, 7))
    rate(centre, 1, at(11, 5, 9), service=g1, due=date(2026, 11, 20))
    rate(tree["district_a"], 4, at(11, 20))
    for score in (5, 4):
        rate(tree["district_b"], score, at(11, 21), service=g2)
    rate(tree["district_b"], 2, at(11, 22), service=g2, due=date(2026, 11, 29))
    rate(centre, 5, at(10, 15), service=g1)
    rate(centre, 3, at(12, 31, 23, 30), service=g1)
    rate(centre, 1, at(1, 1, 0, 30, year=2027), service=g1, due=date(2027, 1, 8))
    return {**world, "g1": g1, "g2": g2}
