"""/hdjl/mcaf/: the figures against a hand-counted year of reports, what is never published
(supervisors, photos, findings as written), the approved summaries, and the query count the same
at 5 and 500 reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from portal.cases.actions import case_act
from services.supervision.actions import visit_summary_approve
from services.supervision.selectors import supervision_summary
from tests.factories import UserFactory

from .fixtures import at, bulk_reports, file_report, photo, supervision_world

pytestmark = pytest.mark.django_db
URL = "/hdjl/mcaf/"


def rectify(visit, when):
    with freeze_time(when):
        return case_act(visit.rectification, action="rectify", data={"report": "已整改。"})


@pytest.fixture
def world():
    world = supervision_world()
    hp = "centre_a"
    xh = "centre_b"
    # 黄浦区 September: two with findings; one rectified on time (due 16 Oct), one late (due 19 Oct)
    v1 = file_report(
        world, centre=hp, filed_at=at(2026, 9, 28), findings="叫号机故障。", photos=[photo()]
    )
    rectify(v1, "2026-10-09 10:00:00+08:00")
    v2 = file_report(
        world, who="sup2", centre=hp, filed_at=at(2026, 9, 29), findings="窗口人员李某离岗。"
    )
    rectify(v2, "2026-10-30 10:00:00+08:00")
    # 黄浦区 October: one clean, one with findings still open
    file_report(world, centre=hp, filed_at=at(2026, 10, 12))
    file_report(world, centre=hp, filed_at=at(2026, 10, 13), findings="收费标准未公示。")
    # 徐汇区 October: one clean, one rectified on time
    file_report(world, centre=xh, filed_at=at(2026, 10, 14))
    v6 = file_report(world, centre=xh, filed_at=at(2026, 10, 15), findings="无障碍通道堵塞。")
    rectify(v6, "2026-10-20 10:00:00+08:00")
    # another year: never in 2026's figures
    file_report(world, centre=xh, filed_at=at(2025, 12, 30), findings="去年的问题。")
    world["v1"], world["v2"] = v1, v2
    return world


def figures(rows):
    return {
        (r.district, r.month): (r.visits, r.with_findings, r.rectified, r.on_time) for r in rows
    }


def test_the_figures_are_the_hand_counted_ones(world):
    summary = supervision_summary(year=2026)
    assert figures(summary.rows) == {
        ("徐汇区", 10): (2, 1, 1, 1),
        ("黄浦区", 9): (2, 2, 2, 1),
        ("黄浦区", 10): (2, 1, 0, 0),
    }
    assert figures(summary.by_district) == {
        ("徐汇区", 0): (2, 1, 1, 1),
        ("黄浦区", 0): (4, 3, 2, 1),
    }
    t = summary.totals
    assert (t.visits, t.with_findings, t.rectified, t.on_time) == (6, 4, 3, 2)
    last = supervision_summary(year=2025)
    assert figures(last.rows) == {("徐汇区", 12): (1, 1, 0, 0)}


def test_the_page_publishes_counts_and_nothing_personal(client, world):
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "明察暗访" in html and "黄浦区" in html and "徐汇区" in html
    for secret in (
        "supervisor_li",
        "supervisor_zhao",
        "叫号机故障",
        "李某",
        "/admin/mcaf/",
        "photos",
        "ZG2026",
    ):
        assert secret not in html
    total = response.context["summary"].totals
    assert (total.visits, total.with_findings, total.rectified, total.on_time) == (6, 4, 3, 2)


def test_only_approved_summaries_are_published(client, world):
    reviewer = UserFactory(username="mcaf_reviewer", is_superuser=True)
    visit_summary_approve(
        visit_id=world["v1"].pk, text="外滩中心叫号设备故障，已于10月9日修复。", actor=reviewer
    )
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "外滩中心叫号设备故障，已于10月9日修复。" in html
    assert "叫号机故障。" not in html
    visit_summary_approve(visit_id=world["v1"].pk, text="", actor=reviewer)
    assert "叫号设备故障" not in client.get(URL, {"year": 2026}).content.decode()


def test_an_unknown_year_falls_back_to_the_latest(client, world):
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 200 and response.context["year"] == 2026


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"year": 2026}).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_is_the_same_at_5_and_500_reports(client, django_assert_num_queries):
    world = supervision_world()
    bulk_reports(world, 5)
    with django_assert_num_queries(2):
        supervision_summary(year=2026)
    page_queries(client)  # warm: the site's settings and menus are cached after the first page
    small = page_queries(client)
    bulk_reports(world, 495)
    with django_assert_num_queries(2):
        summary = supervision_summary(year=2026)
    assert summary.totals.visits == 500
    assert page_queries(client) == small
