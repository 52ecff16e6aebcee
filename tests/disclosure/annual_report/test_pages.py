"""The annual report pages: draft generation (disclosure/annual_report/actions.py), the admin view,
the public page with its tables and SVG charts, and the XLSX/CSV downloads."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from freezegun import freeze_time
from openpyxl import load_workbook

from disclosure.annual_report.actions import AnnualReportError, annual_report_generate
from disclosure.annual_report.figures import AnnualReportInconsistent
from disclosure.annual_report.models import AnnualReportPage
from disclosure.requests.models import InformationRequest
from tests.disclosure.annual_report.fixtures import (
    ENTERED,
    EXPECTED_2025_DISTRICT_A,
    add_report_index,
    build_world,
)
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = "2026-01-20 10:00:00+08:00"


@pytest.fixture
def world():
    world = build_world()
    world["index"] = add_report_index(world["catalogue"])
    return world


def staff(org, **kwargs):
    """A staff member of `org` who may add and edit pages anywhere (Wagtail's page permission),
    so only the organisation scope decides."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name="年报编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    profile = StaffProfileFactory(organisation=org, **kwargs)
    profile.user.groups.add(group)
    return profile.user


def generate(world, org_key="district_a", user=None, year=2025):
    with freeze_time(NOW):
        return annual_report_generate(year=year, organisation=world["tree"][org_key], user=user)


def publish(page, **fields):
    page = page.get_latest_revision_as_object()
    for key, value in fields.items():
        setattr(page, key, value)
    page.overview = "<p>本年度，本机关认真贯彻落实政府信息公开条例。</p>"
    page.save_revision().publish()
    return AnnualReportPage.objects.get(pk=page.pk)


# -- generation ----------------------------------------------------------------------------------


def test_generate_creates_a_draft_and_never_publishes(world):
    user = staff(world["tree"]["district_a"])
    page, created = generate(world, user=user)
    assert created
    page = AnnualReportPage.objects.get(pk=page.pk)
    assert not page.live and page.has_unpublished_changes
    assert page.title == "黄浦区民政局2025年政府信息公开工作年度报告"
    assert page.get_parent().pk == world["index"].pk
    draft = page.get_latest_revision_as_object()
    assert draft.figures["requests"]["new"] == EXPECTED_2025_DISTRICT_A["new"]
    assert page.get_latest_revision().user == user


def test_refresh_updates_the_draft_only_and_keeps_one_report(world):
    page, _ = generate(world)
    page = publish(page, penalty_decisions=3)
    assert page.live and page.figures["requests"]["new"]["total"] == 8
    with freeze_time("2025-09-01 10:00:00+08:00"):
        from tests.disclosure.annual_report.fixtures import _submit

        _submit(world["tree"]["district_a"], None, "2025-09-01")
    refreshed, created = generate(world)
    assert not created and refreshed.pk == page.pk
    assert AnnualReportPage.objects.filter(year=2025).count() == 1
    live = AnnualReportPage.objects.get(pk=page.pk)
    assert live.live and live.has_unpublished_changes
    assert live.figures["requests"]["new"]["total"] == 8  # the published version is untouched
    draft = live.get_latest_revision_as_object()
    assert draft.figures["requests"]["new"]["total"] == 9
    assert draft.penalty_decisions == 3  # entered figures survive a refresh


def test_staff_of_another_organisation_are_refused(world):
    user = staff(world["tree"]["district_b"])
    with pytest.raises(PermissionDenied, match="只能为本机构及下属机构"):
        generate(world, user=user)
    assert not AnnualReportPage.objects.exists()
    # a district's staff may report on their street; the bureau's on anyone
    assert generate(world, "street_a1", user=staff(world["tree"]["district_a"]))[1]
    assert generate(world, "district_b", user=staff(world["tree"]["bureau"]))[1]


def test_staff_without_page_permission_are_refused(world):
    user = StaffProfileFactory(organisation=world["tree"]["district_a"]).user
    with pytest.raises(PermissionDenied, match="没有新建年度报告的权限"):
        generate(world, user=user)


def test_an_inconsistent_data_set_is_refused_with_the_column_named(world):
    InformationRequest.objects.filter(pk=world["requests"]["N5"].pk).update(reply_reason="bogus")
    with pytest.raises(AnnualReportInconsistent) as exc:
        generate(world)
    assert "表三“法律服务机构”列不平衡" in exc.value.errors[0]
    assert not AnnualReportPage.objects.exists()


def test_publishing_a_tampered_snapshot_is_refused(world):
    from django.core.exceptions import ValidationError

    page, _ = generate(world)
    draft = page.get_latest_revision_as_object()
    draft.figures["requests"]["carried_forward"]["natural_person"] = 5
    with pytest.raises(ValidationError) as exc:
        draft.save_revision().publish()
    assert "表三“自然人”列不平衡" in str(exc.value)
    assert not AnnualReportPage.objects.get(pk=page.pk).live


def test_one_report_per_year_and_organisation(world):
    from django.core.exceptions import ValidationError

    page, _ = generate(world)
    twin = AnnualReportPage(
        title="重复",
        slug="dup",
        year=2025,
        organisation=world["tree"]["district_a"],
        figures=page.figures,
    )
    with pytest.raises(ValidationError, match="每个机构每年只能有一份年度报告"):
        world["index"].add_child(instance=twin)


def test_a_year_not_yet_begun_and_a_missing_section_are_refused(world):
    with pytest.raises(AnnualReportError, match="2027年度尚未结束"):
        generate(world, year=2027)
    with pytest.raises(AnnualReportError, match="报告年度应在2008年至2025年之间"):
        generate(world, year=2007)
    world["index"].delete()
    with pytest.raises(AnnualReportError, match="尚未建立"):
        generate(world)


def test_the_running_year_is_refused_until_it_ends(world):
    """2026 is running on 2026-01-20 (and on 12-31 23:59); it can be generated from 2027-01-01."""
    for moment in (NOW, "2026-12-31 23:59:00+08:00"):
        with freeze_time(moment), pytest.raises(AnnualReportError) as exc:
            annual_report_generate(year=2026, organisation=world["tree"]["district_a"])
        assert "2026年度尚未结束，年度报告须在该年度结束后生成" in str(exc.value)
    assert not AnnualReportPage.objects.filter(year=2026).exists()
    with freeze_time("2027-01-01 00:01:00+08:00"):
        page, created = annual_report_generate(year=2026, organisation=world["tree"]["district_a"])
    assert created and page.year == 2026


def test_the_admin_form_offers_finished_years_only_and_a_marked_preview(client, world):
    user = staff(world["tree"]["district_a"])
    client.force_login(user)
    with freeze_time(NOW):
        html = client.get("/admin/reports/annual-report/").content.decode()
        years = client.get("/admin/reports/annual-report/").context["form"].fields["year"].choices
        assert years[0] == (2025, "2025年") and 2026 not in dict(years)
        assert '<option value="2025" selected>' in html
        assert "本年度（2026年）尚未结束，不能生成" in html
        refused = client.post(
            "/admin/reports/annual-report/",
            {"year": 2026, "organisation": world["tree"]["district_a"].pk},
        )
        assert refused.status_code == 200 and not AnnualReportPage.objects.exists()
        assert "2026年" in refused.context["form"].errors["year"][0]  # not a valid choice
        with freeze_time("2025-11-30 10:00:00+08:00"):  # the 2025 world, seen while 2025 runs
            response = client.post(
                "/admin/reports/annual-report/",
                {"preview": "1", "preview-organisation": world["tree"]["district_a"].pk},
            )
    html = response.content.decode()
    assert response.status_code == 200
    assert "预览（非正式）：黄浦区民政局2025年截至今日的统计" in html
    assert "预览，非正式统计，不是年度报告" in html and "不保存、不能发布" in html
    preview = response.context["preview"]
    assert preview.pk is None and not AnnualReportPage.objects.exists()
    # the same computation as the report (the constructed world's records are all there)
    figures = preview.figures["requests"]
    for key in ("new", "carried_over", "handled", "carried_forward"):
        assert figures[key] == EXPECTED_2025_DISTRICT_A[key], key
    nonzero = {key: cols for key, cols in figures["outcomes"].items() if cols["total"]}
    assert nonzero == EXPECTED_2025_DISTRICT_A["outcomes"]
    assert "三、收到和处理政府信息公开申请情况" in html and "四、政府信息公开行政复议" not in html
    with freeze_time(NOW):
        other = client.post(
            "/admin/reports/annual-report/",
            {"preview": "1", "preview-organisation": world["tree"]["district_b"].pk},
        )
    assert "只能选择本机构及下属机构" in other.content.decode() and other.context["preview"] is None


def test_the_admin_view_generates_and_scopes_the_choices(client, world):
    user = staff(world["tree"]["district_a"])
    client.force_login(user)
    response = client.get("/admin/reports/annual-report/")
    html = response.content.decode()
    assert response.status_code == 200 and "生成年度报告草稿" in html
    assert "外滩街道" in html and "徐汇区民政局" not in html
    with freeze_time(NOW):
        response = client.post(
            "/admin/reports/annual-report/",
            {"year": 2025, "organisation": world["tree"]["district_b"].pk},
        )
    assert "只能选择本机构及下属机构" in response.content.decode()
    with freeze_time(NOW):
        response = client.post(
            "/admin/reports/annual-report/",
            {"year": 2025, "organisation": world["tree"]["district_a"].pk},
        )
    page = AnnualReportPage.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/pages/{page.pk}/edit/")
    assert not page.live
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_the_admin_view_shows_the_check_failure(client, world):
    InformationRequest.objects.filter(pk=world["requests"]["N1"].pk).update(reply_type="")
    client.force_login(UserFactory(is_superuser=True))
    with freeze_time(NOW):
        response = client.post(
            "/admin/reports/annual-report/",
            {"year": 2025, "organisation": world["tree"]["district_a"].pk},
            follow=True,
        )
    assert "表三“自然人”列不平衡" in response.content.decode()
    assert not AnnualReportPage.objects.exists()


# -- the public page and the downloads -------------------------------------------------------------


@pytest.fixture
def published(world):
    page, _ = generate(world)
    return publish(page, **ENTERED)


def test_the_public_page_shows_the_official_tables_and_svg_charts(client, published):
    response = client.get(published.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'style="' not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline
    for text in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "行政规范性文件",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "1.属于国家秘密",
        "（七）总计",
        "四、结转下年度继续办理",
        "四、政府信息公开行政复议、行政诉讼情况",
        "未经复议直接起诉",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "本年度，本机关认真贯彻落实政府信息公开条例。",
    ):
        assert text in html, text
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th>' in html
    # 一、本年新收: 3 natural persons, one of each organisation kind, 8 in all (the street's N10
    # is in the street office's own report)
    assert (
        '<th scope="row" colspan="3">一、本年新收政府信息公开申请数量</th>'
        + "".join(f'<td class="num">{n}</td>' for n in (3, 1, 1, 1, 1, 1, 8))
    ) in html
    # 行政许可 computed (1: 黄浦's own), 收费 entered (12.5 万元), 复议 总计 computed (4)
    assert '<th scope="row">行政许可</th><td class="num" colspan="3">1</td>' in html
    assert '<td class="num" colspan="3">12.5</td>' in html
    # Two charts, each a titled data table: labels as text, the numbers beside the bars.
    assert html.count('class="chart-table"') == 2
    assert '<figcaption id="chart-outcomes-title" class="chart-title">2025年' in html
    assert (
        '<table class="chart-table" id="chart-applicants" aria-labelledby="chart-applicants-title">'
        in html
    )
    assert '<th scope="row">自然人</th><td><span class="chart-bar">' in html
    assert (
        '<rect width="100.0%" height="16" fill="#1f5fa8"/></svg><span class="chart-value">3</span>'
        in html
    )
    assert f"{published.url}xlsx/" in html and f"{published.url}csv/" in html


def test_the_index_lists_published_reports_only(client, world, published):
    generate(world, "district_b")  # a draft
    html = client.get("/xxgk/ndbg/").content.decode()
    assert "黄浦区民政局2025年政府信息公开工作年度报告" in html and "2025年度" in html
    assert "徐汇区民政局2025年" not in html


def test_xlsx_has_a_sheet_per_table_with_merged_headers_and_numbers(client, published):
    response = client.get(published.url + "xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "2025%E5%B9%B4" in disposition  # 2025年, RFC 5987 encoded
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["表二", "表三", "表四"]
    t2, t3, t4 = book["表二"], book["表三"], book["表四"]
    assert t2["A4"].value == "规章" and [t2.cell(4, c).value for c in (2, 3, 4)] == [1, 1, 2]
    assert t2["A15"].value == "行政事业性收费" and t2["B15"].value == Decimal("12.5")
    assert "B15:D15" in {str(r) for r in t2.merged_cells.ranges}
    assert t3["A2"].value.startswith("（本列数据的勾稽关系为")
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A7:A28"} <= merged
    new_row = [t3.cell(5, c).value for c in range(1, 11)]
    assert new_row == ["一、本年新收政府信息公开申请数量", None, None, 3, 1, 1, 1, 1, 1, 8]
    assert t3["A29"].value == "四、结转下年度继续办理" and t3["J29"].value == 2
    assert [t4.cell(5, c).value for c in range(1, 16)] == [
        2,
        1,
        0,
        1,
        4,
        1,
        0,
        0,
        2,
        3,
        0,
        1,
        0,
        0,
        1,
    ]
    assert isinstance(t3["D5"].value, int)


def test_csv_is_utf8_with_bom_and_has_every_table(client, published):
    response = client.get(published.url + "csv/")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [published.title]
    assert ["三、收到和处理政府信息公开申请情况"] in rows
    new = next(r for r in rows if r and r[0] == "一、本年新收政府信息公开申请数量")
    assert new == ["一、本年新收政府信息公开申请数量", "", "", "3", "1", "1", "1", "1", "1", "8"]
    withheld = next(r for r in rows if len(r) > 2 and r[2] == "4.保护第三方合法权益")
    assert withheld[3:] == ["0", "0", "1", "0", "0", "0", "1"]  # 科研机构
    assert ["行政事业性收费", "12.5", "", ""] in rows


def test_downloads_are_only_for_published_reports(client, world):
    page, _ = generate(world)
    page = AnnualReportPage.objects.get(pk=page.pk)
    assert client.get(f"/xxgk/ndbg/{page.slug}/xlsx/").status_code == 404
    assert client.get(f"/xxgk/ndbg/{page.slug}/csv/").status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_the_page_takes_a_fixed_number_of_queries(client, world, extra, django_assert_num_queries):
    from tests.disclosure.requests.fixtures import submit

    with freeze_time("2025-10-09 10:00:00+08:00"):
        for _n in range(extra):
            submit(world["tree"]["district_a"])
    page, _ = generate(world)
    page = publish(page, **ENTERED)
    assert page.figures["requests"]["new"]["total"] == 8 + extra
    client.get(page.url)  # warm the site root cache
    with django_assert_num_queries(5):  # site, home, routing, the page (+ organisation), settings
        assert client.get(page.url).status_code == 200


# -- per organ: units have no report; the 汇总 is labelled and never a report -------------------


def test_a_unit_has_no_report_of_its_own(world):
    with pytest.raises(AnnualReportError) as exc:
        generate(world, "bureau_unit")
    assert "上海市社会团体管理局是所属单位，不单独编制政府信息公开年度报告" in str(exc.value)
    assert "计入上海市民政局的年度报告" in str(exc.value)
    page, created = generate(world, "bureau")
    assert created and page.figures["scope"] == "organ"
    assert page.figures["requests"]["new"]["total"] == 4  # B1, B3, B4, B5


def test_the_public_report_says_whose_requests_it_counts(client, published):
    html = client.get(published.url).content.decode()
    assert "统计范围：本机关及所属单位" in html and "不含单独编制年度报告的下级行政机关" in html


def test_the_admin_offers_organs_only_and_a_labelled_consolidated_view(client, world):
    client.force_login(UserFactory(is_superuser=True))
    tree = world["tree"]
    with freeze_time(NOW):
        page = client.get("/admin/reports/annual-report/")
        organs = {org.code for org in page.context["form"].fields["organisation"].queryset}
        assert organs == {"000014349", "002479001", "002479101", "002482001"}
        assert "002479201" not in organs and "000014352" not in organs  # centre, unit
        response = client.post(
            "/admin/reports/annual-report/",
            {
                "consolidated": "1",
                "consolidated-year": 2025,
                "consolidated-organisation": tree["bureau"].pk,
            },
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "汇总（非法定年度报告）：上海市民政局及全部下级机构2025年" in html
    assert "汇总统计，不是法定年度报告" in html
    consolidated = response.context["consolidated"]
    assert consolidated.pk is None and consolidated.figures["scope"] == "consolidated"
    assert consolidated.figures["requests"]["new"]["total"] == 15
    assert not AnnualReportPage.objects.exists()


def test_a_consolidated_snapshot_cannot_be_saved_as_a_report(world):
    from django.core.exceptions import ValidationError

    from disclosure.annual_report.figures import annual_report_figures

    page, _ = generate(world, "bureau")
    draft = page.get_latest_revision_as_object()
    draft.figures = annual_report_figures(
        year=2025, organisation=world["tree"]["bureau"], consolidated=True
    )
    with pytest.raises(ValidationError, match="汇总统计不是法定年度报告"):
        draft.full_clean()
