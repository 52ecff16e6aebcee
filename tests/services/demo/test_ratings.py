from datetime import date

import pytest
from freezegun import freeze_time

from services.demo import ratings as rating_demo
from services.models import Rating
from services.ratings.selectors import rating_summary, rating_tables
from tests.services.case_fixtures import case_world

pytestmark = pytest.mark.django_db


@freeze_time("2026-12-03 10:00:00+08:00")
def test_a_year_of_plausible_ratings_loaded_once(client):
    world = case_world()
    summary = rating_demo.load()
    n = Rating.objects.count()
    assert summary == f"好差评记录：新建{n}条（365天）" and n > 150
    first = Rating.objects.order_by("created_at").first().created_at
    last = Rating.objects.order_by("-created_at").first().created_at
    assert first.date() >= date(2025, 12, 3) and last.date() <= date(2026, 12, 2)
    assert len({r.month for r in Rating.objects.datetimes("created_at", "month")}) >= 12
    assert not Rating.objects.filter(score__gt=2).exclude(follow_up_status="").exists()
    assert not Rating.objects.filter(score__lte=2, follow_up_due__isnull=True).exists()
    year = rating_summary(organisation=world["tree"]["bureau"], year=2026)
    assert 0.8 < year.good_rate < 0.99
    assert year.bad and 0.4 < year.rectification_rate <= 1
    assert year.rectified_on_time < year.closed  # some follow-ups were late
    assert rating_tables(year=2026).services[0].label == world["guide"].title
    html = client.get("/hdjl/hcp/", {"year": 2026}).content.decode()
    assert "黄浦区民政局" in html and f"{year.good_rate * 100:.1f}%" in html
    assert rating_demo.load() == "好差评记录：已存在，未新建"
    assert Rating.objects.count() == n
