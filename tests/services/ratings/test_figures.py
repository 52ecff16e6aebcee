from datetime import UTC
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from services.models import Rating
from services.ratings.models import RatingScore
from services.ratings.selectors import GOOD_SCORES, rating_summary, rating_tables, rating_years
from tests.factories import org_tree

from .figures_world import at, figures_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return figures_world()


def test_good_means_very_satisfied_satisfied_and_fairly_satisfied():
    assert [RatingScore(s).label for s in GOOD_SCORES] == ["非常满意", "满意", "基本满意"]


class TestSummary:
    def test_an_organisation_counts_its_subtree(self, world):
        tree = world["tree"]
        f = rating_summary(organisation=tree["district_a"], year=2026, month=11)
        assert f.ratings == 13
        assert f.by_score == {"1": 2, "2": 2, "3": 2, "4": 3, "5": 4}
        assert f.good == 9 and f.good_rate == Decimal("0.6923")
        assert f.bad == 4 and f.rectified_on_time == 2
        assert f.rectification_rate == Decimal("0.5000")
        assert f.average_close_days == Decimal("6.8")  # (6 + 7.5 + 7) / 3

    def test_a_follow_up_closed_the_day_after_its_deadline_is_late_in_local_time(self, world):
        late = Rating.objects.get(follow_up_closed_at=at(11, 11, 7))
        assert late.follow_up_closed_at.astimezone(UTC).date().isoformat() == "2026-11-10"
        f = rating_summary(organisation=world["tree"]["centre_a1"], year=2026, month=11)
        assert (f.ratings, f.bad, f.rectified_on_time, f.closed) == (12, 4, 2, 3)
        assert f.good_rate == Decimal("0.6667")

    def test_the_whole_city_and_one_service_item(self, world):
        f = rating_summary(year=2026, month=11)
        assert (f.ratings, f.good, f.bad, f.rectified_on_time) == (16, 11, 5, 2)
        assert f.good_rate == Decimal("0.6875") and f.rectification_rate == Decimal("0.4000")
        g2 = rating_summary(year=2026, month=11, service=world["g2"])
        assert (g2.ratings, g2.by_score["5"], g2.by_score["4"], g2.bad) == (3, 1, 1, 1)

    def test_a_year_uses_local_time_at_both_ends(self, world):
        f = rating_summary(organisation=world["tree"]["bureau"], year=2026)
        assert f.ratings == 18  # November's 16, October's one, 31 December 23:30
        assert rating_summary(year=2027).ratings == 1
        assert rating_summary(year=2026, month=12).by_score == {
            "1": 0,
            "2": 0,
            "3": 1,
            "4": 0,
            "5": 0,
        }
        assert rating_years() == [2027, 2026]

    def test_no_rate_below_the_minimum(self, world, settings):
        b = rating_summary(organisation=world["tree"]["district_b"], year=2026, month=11)
        assert (b.ratings, b.bad, b.by_score["2"]) == (3, 1, 1)  # counts are always published
        assert b.good_rate is None and b.rectification_rate is None
        assert b.average_close_days is None
        settings.RATINGS_PUBLISH_MINIMUM = 3
        b = rating_summary(organisation=world["tree"]["district_b"], year=2026, month=11)
        assert b.good_rate == Decimal("0.6667") and b.rectification_rate == Decimal("0.0000")
        settings.RATINGS_PUBLISH_MINIMUM = 14
        a = rating_summary(organisation=world["tree"]["district_a"], year=2026, month=11)
        assert a.ratings == 13 and a.good_rate is None

    def test_no_ratings_no_rates(self, world):
        f = rating_summary(year=2025)
        assert f.ratings == 0 and f.good_rate is None and f.rectification_rate is None


class TestTables:
    def test_per_district_organisation_service_and_month(self, world):
        t = rating_tables(year=2026, month=11)
        assert t.total.ratings == 16
        districts = {r.label: r.figures for r in t.districts}
        assert set(districts) == {"黄浦区民政局", "徐汇区民政局"}
        assert districts["黄浦区民政局"].ratings == 13
        assert districts["黄浦区民政局"].good_rate == Decimal("0.6923")
        assert districts["徐汇区民政局"].ratings == 3
        assert districts["徐汇区民政局"].good_rate is None
        orgs = {r.code: r.figures.ratings for r in t.organisations}
        assert orgs == {
            "000014349": 16,
            "002479001": 13,
            "002479101": 12,
            "002479201": 12,
            "002482001": 3,
        }
        services = [(r.label, r.figures.ratings) for r in t.services]
        assert services == [("最低生活保障申请", 12), ("临时救助申请", 3), ("未关联事项", 1)]
        assert t.months == []

    def test_a_year_has_twelve_months(self, world):
        t = rating_tables(year=2026)
        assert [r.figures.ratings for r in t.months] == [0] * 9 + [1, 16, 1]
        assert t.total.ratings == 18


def bulk(n, orgs, guide):
    rows = []
    for i in range(n):
        score = i % 5 + 1
        rows.append(
            Rating(
                case_kind="application",
                case_number=f"B{i:08d}",
                organisation=orgs[i % len(orgs)],
                service=guide if i % 2 else None,
                score=score,
                follow_up_status=("done" if i % 3 else "open") if score <= 2 else "",
                follow_up_due=at(11, 20).date() if score <= 2 else None,
                follow_up_closed_at=at(11, 18) if score <= 2 and i % 3 else None,
            )
        )
    with freeze_time(at(11, 15)):
        Rating.objects.bulk_create(rows, batch_size=1000)


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("big", [500, 5000])
def test_query_count_does_not_grow_with_the_ratings(big):
    tree = org_tree()
    orgs = list(tree.values())
    bulk(5, orgs, None)
    calls = (
        lambda: rating_tables(year=2026, month=11),
        lambda: rating_tables(year=2026),
        lambda: rating_summary(organisation=tree["district_a"], year=2026, month=11),
    )
    small = [count_queries(c) for c in calls]
    assert rating_tables(year=2026).total.ratings == 5
    Rating.objects.all().delete()
    bulk(big, orgs, None)
    assert [count_queries(c) for c in calls] == small == [3, 4, 2]
    t = rating_tables(year=2026, month=11)
    assert t.total.ratings == big and t.total.by_score["3"] == big // 5
    assert t.total.average_close_days == Decimal("3.0")  # every follow-up closed after 3 days
