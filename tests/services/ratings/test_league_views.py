"""区县排位 published: GET /api/v1/league, the page /hdjl/pw/ and its XLSX, and the purge of the
published figures on a new rating, a closed follow-up and new weights (league_world.py)."""

import io
import re
from datetime import date

import pytest
from freezegun import freeze_time

from portal.frontcache.backends import Ban
from services.ratings import actions
from services.ratings.models import LeagueWeights

from .league_world import league_world

pytestmark = pytest.mark.django_db
API = "/api/v1/league"
PAGE = "/hdjl/pw/"


@pytest.fixture
def world(settings):
    settings.RATINGS_PUBLISH_MINIMUM = 3
    with freeze_time("2026-12-03 10:00:00+08:00"):
        yield league_world()


def test_the_api_answers_the_documented_shape(client, world):
    response = client.get(API, {"year": 2026, "month": 11})
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert response.json() == {
        "period": "2026-11",
        "previous_period": "2026-10",
        "weights": {
            "satisfaction": 40,
            "on_time": 20,
            "rectification": 15,
            "complaint_on_time": 15,
            "disclosure_on_time": 10,
        },
        "minimum": 3,
        "rows": [
            {
                "rank": 1,
                "organisation": {"code": "002479001", "name": "黄浦区民政局"},
                "satisfaction_rate": 0.6923,
                "on_time_rate": 0.6667,
                "rectification_rate": 0.5,
                "complaint_on_time_rate": 0.6667,
                "disclosure_on_time_rate": None,
                "score": 65.03,
                "change": 1,
            },
            {
                "rank": 2,
                "organisation": {"code": "002482001", "name": "徐汇区民政局"},
                "satisfaction_rate": 0.6667,
                "on_time_rate": 0.8571,
                "rectification_rate": 0.0,
                "complaint_on_time_rate": None,
                "disclosure_on_time_rate": 1.0,
                "score": 63.31,
                "change": -1,
            },
        ],
    }


def test_the_api_prints_the_bureaus_weights_and_refuses_a_bad_month(client, world):
    weights = LeagueWeights.load()
    weights.satisfaction_weight, weights.on_time_weight = 20, 40
    weights.full_clean()
    weights.save()
    body = client.get(API, {"year": 2026, "month": 11}).json()
    assert body["weights"]["satisfaction"] == 20 and body["weights"]["on_time"] == 40
    assert [r["organisation"]["code"] for r in body["rows"]] == ["002482001", "002479001"]
    bad = client.get(API, {"year": 2026, "month": 13})
    assert bad.status_code == 422 and "detail" in bad.json()
    assert client.get(API).status_code == 422
    year = client.get(API, {"year": 2026}).json()
    assert year["period"] == "2026" and year["previous_period"] == "2025"
    assert {r["change"] for r in year["rows"]} == {None}


def row(html: str, label: str) -> list[str]:
    match = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_the_page_shows_the_table_weights_chart_and_method(client, world):
    response = client.get(PAGE, {"year": 2026, "month": 11})
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    html = response.content.decode()
    # 满意率, 按时办结率, 差评整改率, 投诉, 依申请公开, 综合得分, 名次变化
    assert row(html, "黄浦区民政局") == [
        "69.2%", "66.7%", "50.0%", "66.7%", "样本不足", "65.03", "上升1位",
    ]  # fmt: skip
    assert row(html, "徐汇区民政局") == [
        "66.7%", "85.7%", "0.0%", "样本不足", "100.0%", "63.31", "下降1位",
    ]  # fmt: skip
    assert "2026年11月区县排位表（名次变化与2026年10月比较）" in html
    assert (
        "<dt>满意率</dt><dd>40%</dd>" in html
        and "<dt>依申请公开按期答复率</dt><dd>10%</dd>" in html
    )
    assert (
        "本期权重：满意率40%，按时办结率20%，差评整改率15%，投诉按期答复率15%，依申请公开按期答复率10%"
        in html
    )
    assert '<rect class="bar-fill" width="65"' in html  # 黄浦区's score in the chart
    assert "第1名 黄浦区民政局" in html
    assert 'class="data-table rating-table league-table stack-narrow"' in html
    assert 'class="table-wrap" role="region" tabindex="0"' in html
    assert 'data-label="综合得分"' in html
    assert "少于3件的，不公开该项比率" in html
    assert 'href="/hdjl/pw/xlsx/?year=2026&amp;month=11"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_ratings_page_links_to_the_league(client, world):
    html = client.get("/hdjl/hcp/", {"year": 2026, "month": 11}).content.decode()
    assert 'href="/hdjl/pw/?year=2026&amp;month=11"' in html


def test_the_xlsx_holds_numbers(client, world):
    from openpyxl import load_workbook

    response = client.get(f"{PAGE}xlsx/", {"year": 2026, "month": 11})
    assert response.status_code == 200
    assert "2026-11.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("名次", "区民政局", "满意率")
    assert rows[2] == (1, "黄浦区民政局", 0.6923, 0.6667, 0.5, 0.6667, "样本不足", 65.03, 2, 1)
    assert rows[3] == (2, "徐汇区民政局", 0.6667, 0.8571, 0.0, "样本不足", 1.0, 63.31, 1, -1)
    texts = [r[0] for r in rows if r[0]]
    assert any(str(t).startswith("权重：满意率40%") for t in texts)


@pytest.fixture
def bans(monkeypatch):
    sent = []
    monkeypatch.setattr(actions, "ban_after_commit", lambda b: sent.append(set(b)))
    return sent


PUBLISHED = {
    Ban("/hdjl/hcp/"),
    Ban("/hdjl/pw/"),
    Ban("/api/v1/ratings/"),
    Ban("/api/v1/league", prefix=False),
}


def test_a_new_rating_and_a_closed_follow_up_purge_the_published_figures(world, bans):
    from services.models import Application

    case = Application.objects.filter(status="completed").first()
    rating = actions.rating_record(case=case, score=1)
    assert bans == [PUBLISHED]
    actions.rating_follow_up_close(
        rating_id=rating.pk, actor=None, organisation_ids=None, note="已回访"
    )
    assert bans == [PUBLISHED, PUBLISHED]


def test_new_weights_purge_the_published_figures(world, bans):
    weights = LeagueWeights.load()  # created with the defaults the first time (a purge too)
    bans.clear()
    weights.on_time_weight, weights.complaint_on_time_weight = 25, 10
    weights.full_clean()
    weights.save()
    assert bans == [PUBLISHED]


def test_a_rating_refreshes_the_cached_league_page(
    client, world, settings, django_capture_on_commit_callbacks
):
    """Through the in-app front cache (no Varnish): a HIT before, a fresh page after."""
    from services.models import Application

    settings.FRONT_CACHE_APP = True
    settings.WAGTAILFRONTENDCACHE = {
        "app": {"BACKEND": "portal.frontcache.backends.AppCacheBackend"}
    }
    for url in (PAGE, "/hdjl/hcp/", API + "?year=2026"):
        client.get(url, {"year": 2026} if "?" not in url else None)
        assert client.get(url, {"year": 2026} if "?" not in url else None).headers.get(
            "X-Cache"
        ) == ("HIT"), url
    case = Application.objects.filter(status="completed").first()
    with django_capture_on_commit_callbacks(execute=True):
        actions.rating_record(case=case, score=5)
    for url in (PAGE, "/hdjl/hcp/", API + "?year=2026"):
        response = client.get(url, {"year": 2026} if "?" not in url else None)
        assert response.headers.get("X-Cache") == "MISS", url


def test_the_bureau_sets_the_weights_in_the_admin(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    redirect = client.get(reverse("wagtailsettings:edit", args=["services", "leagueweights"]))
    url = redirect.url  # the edit page of the one row, created with the defaults
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "满意率权重" in html and "依申请公开按期答复率权重" in html and "合计须为100" in html
    form = {
        "satisfaction_weight": 50,
        "on_time_weight": 20,
        "rectification_weight": 15,
        "complaint_on_time_weight": 15,
        "disclosure_on_time_weight": 10,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "各项权重合计须为100，现为110。" in refused.content.decode()
    assert LeagueWeights.load().satisfaction_weight == 40
    saved = client.post(url, form | {"satisfaction_weight": 30, "on_time_weight": 30})
    assert saved.status_code == 302
    assert LeagueWeights.load().weights()["satisfaction"] == 30
    negative = client.post(url, form | {"satisfaction_weight": -5, "on_time_weight": 75})
    assert negative.status_code == 200
    assert LeagueWeights.load().weights()["satisfaction"] == 30


def test_a_case_closing_purges_the_published_figures(
    world, bans, django_capture_on_commit_callbacks
):
    """The on-time rates change when a case of any kind closes (after its commit); accepting one
    changes nothing published."""
    from portal.cases.actions import case_transition
    from tests.services.ratings.league_world import application

    centre, guide = world["tree"]["centre_a1"], world["g1"]
    first = application(centre, guide, "submitted", due=date(2026, 12, 20))
    second = application(centre, guide, "submitted", due=date(2026, 12, 20))
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(first, action="accept")
    assert bans == []
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(second, action="reject", note="申请材料不符合要求。")
    assert bans == [PUBLISHED]


def test_the_page_shows_the_booking_figures_per_district(client, world):
    """预约办理 beside the table (not in the score): every district, zero without bookings."""
    body = client.get(PAGE, {"year": 2026, "month": 11}).content.decode()
    section = body.split('data-testid="league-bookings"')[1].split("</table>")[0]
    assert "黄浦区民政局" in section and "徐汇区民政局" in section
    assert "不计入综合得分" in body
    assert "明察暗访整改四类办件" in body
