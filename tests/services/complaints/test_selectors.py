from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from services.complaints.models import Complaint
from services.complaints.selectors import complaint_counts_by_organisation, redact
from services.models import Rating
from tests.services.case_fixtures import VALID_ID, case_world
from tests.services.complaints.fixtures import advance, replied, submit

pytestmark = pytest.mark.django_db


class TestRedact:
    def test_name_given_name_honorific_phone_email_and_id(self):
        text = (
            f"王小明（王先生）身份证{VALID_ID}，手机139 1234 5678 或 13912345678，"
            "邮箱Wang@Example.com；小明的邻居13611112222"
        )
        out = redact(text, name="王小明", phone="13912345678", email="wang@example.com")
        for secret in ("王小明", "小明", "王先生", VALID_ID, "13912345678", "139 1234 5678"):
            assert secret not in out, secret
        assert "wang@example.com" not in out.lower()
        assert "110" + "*" * 11 + "002X" in out and "136****2222" in out

    def test_landline_and_two_character_names(self):
        out = redact("张三留电话021-63211234，张三的诉求", name="张三", phone="021-63211234")
        assert "张三" not in out and "63211234" not in out
        assert out == "×××留电话×××，×××的诉求"

    def test_compound_surname(self):
        out = redact("欧阳娜娜、娜娜、欧阳女士", name="欧阳娜娜")
        assert out == "×××、×××、×××"

    def test_latin_name(self):
        assert redact("John Smith wrote; Smith again", name="John Smith") == (
            "××× wrote; ××× again"
        )


@pytest.fixture
def world():
    return case_world()


def rating(case_number, organisation, score, follow_up):
    return Rating.objects.create(
        case_kind="application",
        case_number=case_number,
        organisation=organisation,
        score=score,
        follow_up_status=follow_up,
    )


def test_counts_per_organisation(world, settings):
    tree = world["tree"]
    settings.COMPLAINT_HANDLING_DAYS = 5
    with freeze_time("2026-03-02 10:00:00+08:00"):
        # district A: three complaints — replied on time, replied late, open and overdue
        on_time = submit(organisation=tree["district_a"].code)
        advance(on_time, ("acknowledge", "", {}), ("reply", "", {"reply": "已处理"}))
        late = submit(organisation=tree["district_a"].code)
        open_overdue = submit(organisation=tree["district_a"].code)
        # bureau: one rejected
        advance(submit(), ("reject", "不属于本机关职责", {"reason": "not_our_duty"}))
    with freeze_time("2026-04-30 10:00:00+08:00"):
        advance(late, ("acknowledge", "", {}), ("reply", "", {"reply": "迟复"}))
    with freeze_time("2025-06-01 10:00:00+08:00"):
        submit(organisation=tree["district_a"].code)  # another year
    with freeze_time("2026-03-02 10:00:00+08:00"):
        recent = submit(organisation=tree["district_b"].code)  # not overdue (due in March)
    rating("SQ1", tree["district_a"], 1, "open")
    rating("SQ2", tree["district_a"], 2, "done")
    rating("SQ3", tree["district_a"], 5, "")
    rating("SQ4", tree["bureau"], 2, "open")
    assert open_overdue.due_date == recent.due_date == date(2026, 3, 9)

    with freeze_time("2026-03-05 10:00:00+08:00"):
        rows = {r.organisation.code: r for r in complaint_counts_by_organisation(2026)}
    a = rows[tree["district_a"].code]
    assert (a.received, a.replied, a.overdue) == (3, 2, 1)  # late reply; open one not yet due
    assert (a.follow_ups_open, a.follow_ups_done, a.follow_ups) == (1, 1, 2)
    b = rows[tree["bureau"].code]
    assert (b.received, b.replied, b.overdue, b.follow_ups_open) == (1, 0, 0, 1)
    assert rows[tree["street_a1"].code].received == 0

    with freeze_time("2026-05-05 10:00:00+08:00"):
        rows = {r.organisation.code: r for r in complaint_counts_by_organisation(2026)}
        everything = {r.organisation.code: r for r in complaint_counts_by_organisation()}
    assert rows[tree["district_a"].code].overdue == 2  # the open one is now past due too
    assert rows[tree["district_b"].code].overdue == 1
    assert everything[tree["district_a"].code].received == 4


def test_counts_limited_to_organisations(world):
    tree = world["tree"]
    submit(organisation=tree["district_a"].code)
    submit(organisation=tree["district_b"].code)
    rows = complaint_counts_by_organisation(organisation_ids={tree["district_b"].pk})
    assert [(r.organisation.code, r.received) for r in rows] == [(tree["district_b"].code, 1)]


@pytest.mark.parametrize("n", [5, 60])
def test_counts_take_three_queries(world, n):
    for i in range(n):
        complaint = submit(organisation=world["tree"]["district_a"].code)
        rating(f"SQ{i}", world["tree"]["district_b"], 1, "open")
        if i % 3 == 0:
            advance(complaint, ("acknowledge", "", {}))
    with CaptureQueriesContext(connection) as ctx:
        rows = complaint_counts_by_organisation(timezone.localdate().year)
    assert len(ctx.captured_queries) == 3
    assert sum(r.received for r in rows) == n == Complaint.objects.count()


def test_replied_is_counted_once_replied(world):
    complaint = replied()
    rows = {r.organisation.pk: r for r in complaint_counts_by_organisation()}
    assert rows[complaint.organisation_id].replied == 1
    assert timezone.now() - complaint.replied_at < timedelta(minutes=1)
