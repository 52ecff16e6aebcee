"""A hand-counted world for the 区县排位 (league table), on top of the 好差评 world (figures_world).

The tests set RATINGS_PUBLISH_MINIMUM = 3 and count "today" as 2026-12-03. November 2026, local time:

黄浦区 (district A, with 外滩街道 and its centre):
  ratings (figures_world): 13, good 9 → 满意率 0.6923; 差评 4, 2 rectified on time → 0.5000
  applications at the centre:
    completed, due 11-10, closed 11-09 10:00                → on time
    completed, due 11-10, closed 11-10 22:00                → on time
    rejected,  due 11-10, closed 11-11 07:00 (11-10 in UTC) → late
    accepted (open), due 11-20                              → overdue: counted, late
    accepted (open), due 12-10                              → not due yet: not counted
    withdrawn, closed 11-12                                 → not counted
    completed while paused (no due date), closed 11-15      → not counted
  complaints at the district: replied due 11-25 closed 11-24 (on time), replied due 11-05 closed
    11-06 (late), rejected due 11-30 closed 11-02 (on time) → 2/3 = 0.6667
  requests at the district: replied due 11-28 on 11-27 and on 11-28 (on time), one consulting
    (paused, no due date) → 2 counted, under the minimum: withheld
  按时办结率 = (2 + 2 + 2) / (4 + 3 + 2) = 0.6667
  score = (40×0.6923 + 20×0.6667 + 15×0.5 + 15×0.6667) / 90 × 100 = 65.03

徐汇区 (district B):
  ratings: 3 (5, 4, 2 open) → 满意率 0.6667, 差评整改率 0.0000
  applications: 3 completed on time
  complaints: 1 submitted, due 11-15, still open → counted, late; 1 under the minimum: withheld
  requests: 3 replied on time → 1.0000
  按时办结率 = (3 + 0 + 3) / 7 = 0.8571
  score = (40×0.6667 + 20×0.8571 + 15×0 + 10×1) / 85 × 100 = 63.31

October 2026 (the previous period):
  A: ratings 5 (centre, figures_world), 4 and 1 (due 10-20, closed 10-19) at the district →
     满意率 0.6667, 差评整改率 1.0000; one application completed on time (under the minimum)
     → score (40×0.6667 + 15×1) / 55 × 100 = 75.76, rank 2
  B: ratings 5, 5, 5 → 满意率 1.0000, no 差评 → score 100.00, rank 1
So in November A rises from 2 to 1 (change +1), B falls from 1 to 2 (change −1).
"""

from datetime import date

from freezegun import freeze_time

from disclosure.requests.models import InformationRequest
from services.models import Application, Complaint
from tests.services.ratings.figures_world import at, figures_world, rate

TODAY = date(2026, 12, 3)
_serial = iter(range(1, 10**7))


def _common(org, status, due, closed) -> dict:
    return {
        "case_number": f"LG{next(_serial):08d}",
        "query_code_hash": "x",
        "status": status,
        "organisation": org,
        "applicant_name": "张三",
        "applicant_phone": "13800000000",
        "due_date": due,
        "closed_at": closed,
    }


def application(org, guide, status, *, due=None, closed=None) -> Application:
    return Application.objects.create(service=guide, **_common(org, status, due, closed))


def complaint(org, status, *, due=None, closed=None) -> Complaint:
    return Complaint.objects.create(
        subject="投诉", content="内容", category="service_item", **_common(org, status, due, closed)
    )


def request(org, status, *, due=None, closed=None) -> InformationRequest:
    return InformationRequest.objects.create(
        applicant_type="natural_person",
        description="申请公开",
        form="electronic",
        delivery="email",
        received_on=date(2026, 11, 1),
        **_common(org, status, due, closed),
    )


def league_world() -> dict:
    world = figures_world()
    tree = world["tree"]
    a, b, centre = tree["district_a"], tree["district_b"], tree["centre_a1"]
    g1, g2 = world["g1"], world["g2"]
    d = lambda m, day: date(2026, m, day)  # noqa: E731

    application(centre, g1, "completed", due=d(11, 10), closed=at(11, 9, 10))
    application(centre, g1, "completed", due=d(11, 10), closed=at(11, 10, 22))
    application(centre, g1, "rejected", due=d(11, 10), closed=at(11, 11, 7))
    application(centre, g1, "accepted", due=d(11, 20))
    application(centre, g1, "accepted", due=d(12, 10))
    application(centre, g1, "withdrawn", due=d(11, 30), closed=at(11, 12))
    application(centre, g1, "completed", closed=at(11, 15))
    application(centre, g1, "completed", due=d(10, 20), closed=at(10, 18))
    complaint(a, "replied", due=d(11, 25), closed=at(11, 24))
    complaint(a, "replied", due=d(11, 5), closed=at(11, 6))
    complaint(a, "rejected", due=d(11, 30), closed=at(11, 2))
    request(a, "replied", due=d(11, 28), closed=at(11, 27))
    request(a, "replied", due=d(11, 28), closed=at(11, 28, 18))
    request(a, "consulting")

    for day in (3, 4, 5):
        application(b, g2, "completed", due=d(11, 20), closed=at(11, day))
    complaint(b, "submitted", due=d(11, 15))
    for day in (6, 7, 8):
        request(b, "replied", due=d(11, 20), closed=at(11, day))

    rate(a, 4, at(10, 5))
    rate(a, 1, at(10, 6), due=d(10, 20), closed=at(10, 19))
    for day in (7, 8, 9):
        rate(b, 5, at(10, day), service=g2)
    return world


def at_today():
    return freeze_time(at(12, 3))
