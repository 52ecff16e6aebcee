import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from services.models import Rating

from .figures_world import at, figures_world

pytestmark = pytest.mark.django_db
URL = "/hdjl/hcp/"


@pytest.fixture
def world():
    return figures_world()


def row(html: str, label: str) -> list[str]:
    """The cells of the table row headed `label`, as text."""
    match = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_a_month_per_district_organisation_and_service_item(client, world):
    response = client.get(URL, {"year": 2026, "month": 11})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年11月全市汇总" in html
    # 评价数, 5, 4, 3, 2, 1, 好评率, 差评, 按期整改, 整改率, 平均用时
    assert row(html, "黄浦区民政局") == [
        "13", "4", "3", "2", "2", "2", "69.2%", "4", "2", "50.0%", "6.8",
    ]  # fmt: skip
    assert row(html, "徐汇区民政局") == [
        "3", "1", "1", "0", "1", "0", "样本不足", "1", "0", "样本不足", "样本不足",
    ]  # fmt: skip
    assert row(html, "最低生活保障申请")[:2] == ["12", "4"]
    assert row(html, "未关联事项")[0] == "1"
    assert '<rect class="bar-fill" width="69"' in html  # the bar of 黄浦区's 69.2%
    assert 'class="table-wrap" role="region" tabindex="0" aria-label="各区统计表"' in html
    assert "评价数少于10件的，只公开件数，不公开比率" in html
    assert "好评指“非常满意”“满意”“基本满意”三级" in html
    assert 'href="/hdjl/hcp/xlsx/?year=2026&amp;month=11"' in html
    assert "各月" not in html  # a month has no monthly table
    assert "public" in response.headers["Cache-Control"]


def test_a_year_shows_its_months_and_the_selector(client, world):
    html = client.get(URL, {"year": 2026}).content.decode()
    assert row(html, "11月")[0] == "16" and row(html, "10月")[0] == "1"
    assert row(html, "12月")[0] == "1" and row(html, "1月")[0] == "0"
    assert '<option value="2027">' in html and '<option value="2026" selected>' in html
    assert '<option value="" selected>' not in html  # 全年 is the first option, no month chosen


def test_an_impossible_period_falls_back_to_the_latest_year(client, world):
    with freeze_time(at(12, 3)):
        html = client.get(URL, {"year": "abc", "month": "13"}).content.decode()
    assert "2027年全市汇总" in html


def test_the_page_takes_the_same_queries_for_few_and_many_ratings(client, world):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    client.get(URL, {"year": 2026})  # warm the site's caches
    few = queries()
    rows = [
        Rating(
            case_kind="application",
            case_number=f"X{i:08d}",
            organisation=world["tree"]["centre_a1"] if i % 2 else world["tree"]["district_b"],
            service=world["g1"] if i % 3 else world["g2"],
            score=i % 5 + 1,
        )
        for i in range(500)
    ]
    with freeze_time(at(6, 1)):
        Rating.objects.bulk_create(rows)
    assert queries() == few


def test_xlsx_download(client, world):
    from openpyxl import load_workbook

    response = client.get("/hdjl/hcp/xlsx/", {"year": 2026, "month": 11})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各区", "各机构（含下级机构）", "各办理事项"]
    sheet = book["各区"]
    assert sheet["A2"].value == "区民政局" and sheet["H2"].value == "好评率"
    values = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert values["黄浦区民政局"][:11] == (
        "黄浦区民政局", 13, 4, 3, 2, 2, 2, 0.6923, 4, 2, 0.5,
    )  # fmt: skip
    assert values["徐汇区民政局"][7] == "样本不足"
    assert (
        "各月"
        in load_workbook(
            io.BytesIO(client.get("/hdjl/hcp/xlsx/", {"year": 2026}).content)
        ).sheetnames
    )


def test_linked_from_the_replies_page(client, world):
    assert 'href="/hdjl/hcp/"' in client.get("/hdjl/dfgk/").content.decode()
