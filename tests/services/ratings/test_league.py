"""The 区县排位 against the hand-counted world of league_world.py."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from disclosure.requests.models import InformationRequest
from portal.cases.statistics import deadline_counts, request_deadline_counts
from services.models import Application, Complaint, Rating
from services.ratings.league import (
    combined_score,
    league_table,
    league_weights,
    previous_period,
)
from services.ratings.models import LeagueWeights
from tests.factories import org_tree
from tests.services.case_fixtures import case_world, make_guide

from .league_world import TODAY, league_world

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
DEFAULT = {
    "satisfaction": 40,
    "on_time": 20,
    "rectification": 15,
    "complaint_on_time": 15,
    "disclosure_on_time": 10,
}


@pytest.fixture
def world(settings):
    settings.RATINGS_PUBLISH_MINIMUM = 3
    return league_world()


def rows_by_name(league):
    return {row.name: row for row in league.rows}


class TestFigures:
    def test_every_measure_of_a_month(self, world):
        league = league_table(year=2026, month=11, today=TODAY)
        assert league.weights == DEFAULT and league.period == "2026-11"
        a, b = rows_by_name(league)["黄浦区民政局"], rows_by_name(league)["徐汇区民政局"]
        assert a.rates == {
            "satisfaction": Decimal("0.6923"),
            "on_time": Decimal("0.6667"),
            "rectification": Decimal("0.5000"),
            "complaint_on_time": Decimal("0.6667"),
            "disclosure_on_time": None,  # 2 requests, under the minimum of 3
        }
        assert (a.figures.cases.counted, a.figures.cases.on_time) == (9, 6)
        assert (a.figures.complaints.counted, a.figures.requests.counted) == (3, 2)
        assert b.rates == {
            "satisfaction": Decimal("0.6667"),
            "on_time": Decimal("0.8571"),
            "rectification": Decimal("0.0000"),
            "complaint_on_time": None,
            "disclosure_on_time": Decimal("1.0000"),
        }
        assert (b.figures.cases.counted, b.figures.cases.on_time) == (7, 6)
        assert a.score == Decimal("65.03") and b.score == Decimal("63.31")

    def test_rank_and_change_against_the_previous_month(self, world):
        league = league_table(year=2026, month=11, today=TODAY)
        assert [(r.name, r.rank, r.previous_rank, r.change) for r in league.rows] == [
            ("黄浦区民政局", 1, 2, 1),
            ("徐汇区民政局", 2, 1, -1),
        ]
        october = rows_by_name(league_table(year=2026, month=10, today=TODAY))
        assert october["黄浦区民政局"].score == Decimal("75.76")
        assert october["徐汇区民政局"].score == Decimal("100.00")
        assert october["徐汇区民政局"].rates["rectification"] is None  # no 差评 to rectify
        assert league.previous == (2026, 10)

    def test_the_satisfaction_is_the_published_good_rate(self, world):
        from services.ratings.selectors import rating_summary

        a = rows_by_name(league_table(year=2026, month=11, today=TODAY))["黄浦区民政局"]
        summary = rating_summary(organisation=world["tree"]["district_a"], year=2026, month=11)
        assert a.rates["satisfaction"] == summary.good_rate
        assert a.rates["rectification"] == summary.rectification_rate

    def test_a_year_and_its_previous_year(self, world):
        league = league_table(year=2026, today=TODAY)
        a = rows_by_name(league)["黄浦区民政局"]
        # ratings of the year: November's 13, October's 3, 31 December 23:30 (a 3) → 12 good of 17
        assert a.figures.ratings.ratings == 17 and a.rates["satisfaction"] == Decimal("0.7059")
        assert (a.figures.cases.counted, a.figures.cases.on_time) == (10, 7)
        assert league.previous == (2025, None)
        assert all(r.previous_rank is None and r.change is None for r in league.rows)

    def test_weights_change_the_score_and_the_order(self, world):
        only_on_time = dict.fromkeys(DEFAULT, 0) | {"on_time": 100}
        league = league_table(year=2026, month=11, today=TODAY, weights=only_on_time)
        assert [(r.name, r.score, r.rank) for r in league.rows] == [
            ("徐汇区民政局", Decimal("85.71"), 1),
            ("黄浦区民政局", Decimal("66.67"), 2),
        ]

    def test_under_the_minimum_nothing_is_ranked(self, world, settings):
        settings.RATINGS_PUBLISH_MINIMUM = 10
        league = league_table(year=2026, month=11, today=TODAY)
        a, b = rows_by_name(league)["黄浦区民政局"], rows_by_name(league)["徐汇区民政局"]
        assert a.rates["satisfaction"] == Decimal("0.6923")  # 13 ratings
        assert a.rates["on_time"] is None  # 9 cases
        assert set(b.rates.values()) == {None} and b.score is None and b.rank is None
        assert a.score == Decimal("63.99")  # (40 × 0.6923 + 15 × 0.5) / 55
        assert [r.name for r in league.rows] == ["黄浦区民政局", "徐汇区民政局"]

    def test_an_empty_period(self, world):
        league = league_table(year=2024, today=TODAY)
        assert [r.score for r in league.rows] == [None, None]
        assert all(r.rank is None for r in league.rows)


class TestDeadlineCounts:
    def test_the_rule_for_one_kind(self, world):
        periods = {"nov": (date(2026, 11, 1), date(2026, 12, 1))}
        counts = deadline_counts(Application.objects.all(), periods=periods, today=TODAY)
        centre = world["tree"]["centre_a1"].pk
        assert (counts[centre]["nov"].counted, counts[centre]["nov"].on_time) == (4, 2)
        # the same day before the open case's due date passed: it is not counted yet
        early = deadline_counts(
            Application.objects.all(), periods=periods, today=date(2026, 11, 20)
        )
        assert (early[centre]["nov"].counted, early[centre]["nov"].on_time) == (3, 2)

    def test_disclosure_fills_the_slot(self, world):
        assert request_deadline_counts.filled
        periods = {"nov": (date(2026, 11, 1), date(2026, 12, 1))}
        counts = request_deadline_counts(periods=periods, today=TODAY)
        a, b = world["tree"]["district_a"].pk, world["tree"]["district_b"].pk
        assert (counts[a]["nov"].counted, counts[a]["nov"].on_time) == (2, 2)
        assert (counts[b]["nov"].counted, counts[b]["nov"].on_time) == (3, 3)
        assert InformationRequest.objects.count() == 6


class TestScore:
    def test_withheld_measures_do_not_count(self):
        rates = dict.fromkeys(DEFAULT) | {"satisfaction": Decimal("0.9"), "on_time": Decimal("0.6")}
        assert combined_score(rates, DEFAULT) == Decimal("80.00")  # (36 + 12) / 60
        assert combined_score(dict.fromkeys(DEFAULT), DEFAULT) is None
        zero = dict.fromkeys(DEFAULT, 0) | {"complaint_on_time": 100}
        assert combined_score(rates, zero) is None

    def test_equal_scores_share_a_rank(self, settings):
        settings.RATINGS_PUBLISH_MINIMUM = 1
        tree = org_tree()
        for org in (tree["district_a"], tree["district_b"]):
            Rating.objects.create(
                case_kind="application", case_number=f"E{org.pk}", organisation=org, score=5
            )
        with freeze_time(datetime(2026, 11, 5, tzinfo=SH)):
            Rating.objects.update(created_at=datetime(2026, 11, 5, tzinfo=SH))
        league = league_table(year=2026, month=11, today=TODAY)
        assert [r.rank for r in league.rows] == [1, 1]

    def test_previous_periods(self):
        assert previous_period(2026, 1) == (2025, 12)
        assert previous_period(2026, 7) == (2026, 6)
        assert previous_period(2026, None) == (2025, None)


class TestWeights:
    def test_defaults_sum_to_100(self):
        assert league_weights() == DEFAULT

    def test_the_sum_must_be_100(self):
        weights = LeagueWeights(satisfaction_weight=50)
        with pytest.raises(ValidationError) as exc:
            weights.full_clean()
        assert "各项权重合计须为100，现为110。" in str(exc.value)
        weights.on_time_weight = 10
        weights.full_clean()

    def test_no_weight_over_100_or_below_0(self):
        weights = LeagueWeights(satisfaction_weight=-10, on_time_weight=70)
        with pytest.raises(ValidationError) as exc:
            weights.full_clean()
        assert "satisfaction_weight" in exc.value.message_dict


def bulk(n, orgs, guide):
    when = datetime(2026, 11, 15, 12, tzinfo=SH)
    ratings, applications, complaints = [], [], []
    for i in range(n):
        org = orgs[i % len(orgs)]
        score = i % 5 + 1
        ratings.append(
            Rating(
                case_kind="application",
                case_number=f"B{i:08d}",
                organisation=org,
                score=score,
                follow_up_status=("done" if i % 3 else "open") if score <= 2 else "",
                follow_up_due=date(2026, 11, 20) if score <= 2 else None,
                follow_up_closed_at=datetime(2026, 11, 18, tzinfo=SH)
                if score <= 2 and i % 3
                else None,
            )
        )
        common = {
            "query_code_hash": "x",
            "organisation": org,
            "applicant_name": "张三",
            "applicant_phone": "13800000000",
            "status": "completed" if i % 4 else "accepted",
            "due_date": date(2026, 11, 10 + i % 10),
            "closed_at": when if i % 4 else None,
        }
        applications.append(Application(case_number=f"SQB{i:08d}", service=guide, **common))
        complaints.append(
            Complaint(
                case_number=f"TSB{i:08d}",
                subject="投诉",
                content="内容",
                category="service_item",
                **common | {"status": "replied" if i % 4 else "handling"},
            )
        )
    with freeze_time(when):
        Rating.objects.bulk_create(ratings, batch_size=1000)
    Application.objects.bulk_create(applications, batch_size=1000)
    Complaint.objects.bulk_create(complaints, batch_size=1000)


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("big", [5000])
def test_query_count_does_not_grow_with_the_records(big):
    world = case_world()
    orgs = list(world["tree"].values())
    guide = make_guide(world["bsfw"], world["tree"]["district_b"], code="310100-MZ-009")
    league_weights()  # the settings row exists
    bulk(5, orgs, guide)
    calls = (
        lambda: league_table(year=2026, month=11, today=TODAY),
        lambda: league_table(year=2026, today=TODAY),
    )
    small = [count_queries(c) for c in calls]
    Rating.objects.all().delete()
    Application.objects.all().delete()
    Complaint.objects.all().delete()
    bulk(big, orgs, guide)
    assert [count_queries(c) for c in calls] == small == [7, 7]
    league = league_table(year=2026, month=11, today=TODAY)
    total = sum(r.figures.cases.counted for r in league.rows)
    # every case of the districts' subtrees counts: completed ones and the open overdue ones
    per_district = {r.name: r.figures.ratings.ratings for r in league.rows}
    assert sum(per_district.values()) == big * 4 // 5  # the bureau's own fifth is in no district
    assert total == 2 * big * 4 // 5


def test_rectifications_count_in_the_on_time_rate(settings):
    """The 整改 a supervisor's report opens is a case of the centre's organisation too: October
    2026 of the 明察暗访 world (tests/services/supervision/test_public.py), counted by hand.
    黄浦区: one rectified on time (10-09, due 10-16), one late (10-30, due 10-19), one still open
    and overdue (filed 10-13, due 10-27) → 3 counted, 1 on time. 徐汇区: one rectified on time
    (10-20, due 10-29) → 1 of 1."""
    from tests.services.supervision.fixtures import at, file_report, supervision_world
    from tests.services.supervision.test_public import rectify

    settings.RATINGS_PUBLISH_MINIMUM = 1
    world = supervision_world()
    v1 = file_report(world, centre="centre_a", filed_at=at(2026, 9, 28), findings="叫号机故障。")
    rectify(v1, "2026-10-09 10:00:00+08:00")
    v2 = file_report(world, centre="centre_a", filed_at=at(2026, 9, 29), findings="离岗。")
    rectify(v2, "2026-10-30 10:00:00+08:00")
    file_report(world, centre="centre_a", filed_at=at(2026, 10, 13), findings="未公示。")
    v4 = file_report(world, centre="centre_b", filed_at=at(2026, 10, 15), findings="通道堵塞。")
    rectify(v4, "2026-10-20 10:00:00+08:00")

    rows = rows_by_name(league_table(year=2026, month=10, today=TODAY))
    huangpu, xuhui = rows["黄浦区民政局"], rows["徐汇区民政局"]
    assert (huangpu.figures.cases.counted, huangpu.figures.cases.on_time) == (3, 1)
    assert huangpu.rates["on_time"] == Decimal("0.3333")
    assert (xuhui.figures.cases.counted, xuhui.figures.cases.on_time) == (1, 1)
