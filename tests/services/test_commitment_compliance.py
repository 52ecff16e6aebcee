"""服务承诺 measured against real applications (services/selectors.py commitment_rows): share of
the last 12 months' completed applications finished within the promised working days, with the
average, on a data set whose durations are known by construction."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from portal.cases.numbers import format_case_number
from portal.workdays import get_calendar
from services.models import Application, ApplicationStatus
from services.selectors import commitment_rows
from tests.disclosure.requests.fixtures import oracle_add_working_days
from tests.services.factories import add_commitment_page
from tests.services.world import build_world

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-27 12:00:00+08:00"
_serial = iter(range(1, 1_000_000))


def application(guide, start: date, taken: int, *, status=ApplicationStatus.COMPLETED, **extra):
    """A case whose clock started on `start` and that was completed `taken` working days later
    (counted by an oracle independent of portal.workdays)."""
    closed = oracle_add_working_days(start, taken) if taken else start
    return Application(
        case_number=format_case_number("application", start, next(_serial)),
        query_code_hash="-",
        status=status,
        organisation=guide.organisation,
        service=guide,
        applicant_name="张三",
        applicant_phone="13812341234",
        submitted_at=datetime(start.year, start.month, start.day, 9, tzinfo=SHANGHAI),
        clock_start=start,
        limit_days=20,
        closed_at=datetime(closed.year, closed.month, closed.day, 16, tzinfo=SHANGHAI),
        **extra,
    )


@pytest.fixture
def world():
    w = build_world()
    w["page"] = add_commitment_page(
        w["index"],
        organisation=w["orgs"]["bureau"],
        commitments=[
            {"title": "一次告知", "content": "一次性告知所需材料"},
            {
                "title": "低保审批",
                "content": "20个工作日内办结",
                "service_item": w["dibao"],
                "promised_limit_days": 20,
            },
            {
                "title": "结婚登记",
                "content": "当场办结",
                "service_item": w["marriage"],
                "promised_limit_days": 0,
            },
        ],
    )
    return w


def known_data_set(w):
    dibao, marriage, cremation = w["dibao"], w["marriage"], w["cremation"]
    Application.objects.bulk_create(
        [
            application(dibao, date(2026, 9, 1), 25),  # late
            application(dibao, date(2026, 11, 2), 4),  # on time
            application(dibao, date(2026, 6, 1), 20),  # on time, on the last promised day
            application(dibao, date(2026, 3, 2), 21),  # late by one day
            application(dibao, date(2025, 9, 1), 5),  # completed over 12 months ago: not counted
            application(dibao, date(2026, 11, 2), 3, status=ApplicationStatus.REJECTED),
            application(dibao, date(2026, 11, 2), 0, status=ApplicationStatus.ACCEPTED),
            application(cremation, date(2026, 11, 2), 30),  # another item: not counted
            application(marriage, date(2026, 11, 20), 0),  # same day: on time
            application(marriage, date(2026, 11, 20), 1),  # next working day: late
            application(marriage, date(2026, 11, 25), 0),
            # 22 working days from a correction's arrival, 3 of them a consultation: on time
            application(dibao, date(2026, 7, 1), 22, excluded_days=3),
        ]
    )


def test_compliance_is_measured_from_completed_applications(world):
    known_data_set(world)
    with freeze_time(NOW):
        general, dibao, marriage = commitment_rows(world["page"])
    assert general.compliance is None  # a general pledge has no time limit to measure
    assert (dibao.compliance.finished, dibao.compliance.on_time) == (5, 3)
    assert dibao.compliance.percent == "60.0%"
    assert dibao.compliance.average_days == "17.8"  # (25 + 4 + 20 + 21 + 19) / 5
    assert (marriage.compliance.finished, marriage.compliance.on_time) == (3, 2)
    assert marriage.compliance.percent == "66.7%" and marriage.compliance.average_days == "0.3"


def test_no_completed_applications_yet(world):
    with freeze_time(NOW):
        _general, dibao, _marriage = commitment_rows(world["page"])
    assert dibao.compliance.finished == 0 and dibao.compliance.rate is None
    assert dibao.compliance.percent == "" and dibao.compliance.average_days == ""


def test_the_page_shows_the_measured_compliance(client, world):
    known_data_set(world)
    with freeze_time(NOW):
        html = client.get(world["page"].url).content.decode()
    assert "办结 5 件，按时 3 件，按时办结率 60.0%" in html
    assert "平均用时 17.8 个工作日" in html
    assert "办结 3 件，按时 2 件，按时办结率 66.7%" in html
    assert "尚无办结数据" not in html


@pytest.mark.parametrize("per_item", [1, 150])
def test_a_fixed_number_of_queries(world, per_item, django_assert_num_queries):
    start = date(2026, 10, 12)
    Application.objects.bulk_create(
        [
            application(world["dibao"], start + timedelta(days=n % 30), n % 25)
            for n in range(per_item)
        ]
        + [application(world["marriage"], start, 0) for _n in range(per_item)]
    )
    get_calendar()  # the calendar is cached across requests; measure the page's own reads
    with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
        rows = commitment_rows(world["page"])
    assert rows[1].compliance.finished == per_item
    assert len(queries) == 2, [q["sql"] for q in queries]
