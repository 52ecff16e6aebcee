"""disclosure/annual_report/figures.py: the figures on a constructed world where every cell is known."""

import pytest

from disclosure.annual_report.figures import (
    AnnualReportInconsistent,
    annual_report_figures,
    check_table3,
    outcome_keys,
    table3_errors,
)
from disclosure.requests.models import InformationRequest
from tests.disclosure.annual_report.fixtures import (
    EXPECTED_2025_BUREAU,
    EXPECTED_2025_DISTRICT_A,
    EXPECTED_DOCUMENTS_2025_DISTRICT_A,
    build_world,
    cols,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def expected_outcomes(known: dict) -> dict:
    return {key: known.get(key, cols()) for key in outcome_keys()}


def test_outcome_rows_follow_the_2021_format_without_a_withdrawn_row():
    keys = outcome_keys()
    assert len(keys) == 2 + 8 + 3 + 5 + 3
    assert keys[:3] == ["disclose", "partial", "withhold:state_secret"]
    assert keys[-1] == "other:other"
    assert not any("withdrawn" in key for key in keys)


def test_table_three_of_a_district_cell_by_cell(world):
    figures = annual_report_figures(year=2025, organisation=world["tree"]["district_a"])
    requests = figures["requests"]
    expected = EXPECTED_2025_DISTRICT_A
    assert requests["new"] == expected["new"]
    assert requests["carried_over"] == expected["carried_over"]
    assert requests["outcomes"] == expected_outcomes(expected["outcomes"])
    assert requests["handled"] == expected["handled"]
    assert requests["carried_forward"] == expected["carried_forward"]
    assert table3_errors(figures) == []


def test_table_two_documents_and_licences_of_a_district(world):
    figures = annual_report_figures(year=2025, organisation=world["tree"]["district_a"])
    assert figures["documents"] == EXPECTED_DOCUMENTS_2025_DISTRICT_A
    # one 行政许可 of 黄浦's own completed in 2025 (on 31 Dec at 23:00 Shanghai time); the street
    # office's is in the street's report
    assert figures["licence_decisions"] == 1
    assert figures["year"] == 2025 and figures["organisation"] == "002479001"
    assert figures["scope"] == "organ"


def test_table_three_of_the_bureau_cell_by_cell_its_own_and_its_units_not_the_districts(world):
    """The bureau has a unit below it (its requests are the bureau's) and districts below it (行政机关
    that report on their own): every cell of table 三 counts B1–B5 and nothing else."""
    figures = annual_report_figures(year=2025, organisation=world["tree"]["bureau"])
    requests = figures["requests"]
    expected = EXPECTED_2025_BUREAU
    assert requests["new"] == expected["new"]
    assert requests["carried_over"] == expected["carried_over"]
    assert requests["outcomes"] == expected_outcomes(expected["outcomes"])
    assert requests["handled"] == expected["handled"]
    assert requests["carried_forward"] == expected["carried_forward"]
    assert table3_errors(figures) == []
    # table 二 follows the same rule: the districts' documents and licences are theirs
    assert figures["documents"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 0, "repealed": 0, "in_force": 0},
    }
    assert figures["licence_decisions"] == 0


def test_no_request_is_in_two_statutory_reports(world):
    """Each request is counted by exactly one organ: the sum of every organ's table 三 is the 汇总
    of the whole tree, and a unit has no report of its own."""
    tree = world["tree"]
    organs = [tree[k] for k in ("bureau", "district_a", "street_a1", "district_b")]
    reports = {org.code: annual_report_figures(year=2025, organisation=org) for org in organs}
    street, district_b = reports["002479101"], reports["002482001"]
    # N10 and its centre's N11
    assert street["requests"]["new"] == cols(natural_person=1, business=1)
    assert street["requests"]["outcomes"]["disclose"] == cols(business=1)
    assert street["licence_decisions"] == 1
    assert district_b["requests"]["new"] == cols(natural_person=1)
    assert district_b["documents"]["normative"] == {"issued": 1, "repealed": 0, "in_force": 1}
    consolidated = annual_report_figures(year=2025, organisation=tree["bureau"], consolidated=True)
    assert consolidated["scope"] == "consolidated"
    for part in ("new", "carried_over", "handled", "carried_forward"):
        for column in consolidated["requests"][part]:
            assert consolidated["requests"][part][column] == sum(
                r["requests"][part][column] for r in reports.values()
            ), (part, column)
    assert consolidated["requests"]["new"]["total"] == 4 + 8 + 2 + 1  # bureau, 黄浦, 外滩, 徐汇
    assert consolidated["licence_decisions"] == 3
    assert consolidated["documents"]["normative"]["issued"] == 3
    everything = annual_report_figures(year=2025, organisation=None)
    assert everything["requests"] == consolidated["requests"]
    for figures in (*reports.values(), consolidated):
        assert table3_errors(figures) == []


def test_years_chain_what_is_carried_forward_is_carried_over(world):
    district = world["tree"]["district_a"]
    y2024 = annual_report_figures(year=2024, organisation=district)["requests"]
    y2025 = annual_report_figures(year=2025, organisation=district)["requests"]
    y2026 = annual_report_figures(year=2026, organisation=district)["requests"]
    assert y2024["new"] == cols(natural_person=2, business=1)
    assert y2024["handled"] == cols(natural_person=1)
    assert y2024["carried_forward"] == y2025["carried_over"]
    assert y2025["carried_forward"] == y2026["carried_over"] == cols(natural_person=1, business=1)
    assert y2026["outcomes"]["disclose"] == cols(business=1)  # N8, replied 12 Jan 2026


def test_a_corrupted_record_breaks_the_check_and_is_named(world):
    district = world["tree"]["district_a"]
    # A research institute's request recorded as replied but without a reply type.
    InformationRequest.objects.filter(pk=world["requests"]["N3"].pk).update(reply_type="")
    figures = annual_report_figures(year=2025, organisation=district)
    errors = table3_errors(figures)
    assert len(errors) == 2  # 科研机构 and 总计
    assert "表三“科研机构”列不平衡" in errors[0]
    assert "本年新收1件＋上年结转0件＝1件" in errors[0]
    assert "本年度办理结果总计0件＋结转下年度0件＝0件" in errors[0]
    assert "表三“总计”列不平衡" in errors[1]
    with pytest.raises(AnnualReportInconsistent) as exc:
        check_table3(figures)
    assert exc.value.errors == errors


def test_a_tampered_snapshot_is_refused():
    figures = {
        "requests": {
            "new": cols(natural_person=2),
            "carried_over": cols(),
            "outcomes": {"disclose": cols(natural_person=1)},
            "handled": cols(natural_person=2),  # a typed total is never trusted
            "carried_forward": cols(),
        }
    }
    errors = table3_errors(figures)
    assert errors and "“自然人”列不平衡" in errors[0]
    assert table3_errors({}) == ["表三数据不完整，请重新生成年度报告数据。"]


def test_a_request_closed_before_its_receipt_date_counts_on_its_receipt_date(world):
    """Sent on a holiday evening and withdrawn at once: closed before its Art. 31 receipt date. It
    belongs wholly to the receipt date's year, and both years still balance."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from freezegun import freeze_time

    from disclosure.requests.actions import information_request_submit
    from portal.cases.actions import case_withdraw
    from tests.disclosure.requests.fixtures import natural_person

    district = world["tree"]["district_a"]
    with freeze_time("2026-01-01 10:00:00+08:00"):  # 元旦: received on the next working day
        case, _code = information_request_submit(**natural_person(district))
        case = case_withdraw(case, note="不再需要")
    assert case.received_on.isoformat() == "2026-01-04"  # a make-up working Sunday
    # As if sent and withdrawn on the evening of 31 Dec 2025 with receipt in January.
    closed = datetime(2025, 12, 31, 21, tzinfo=ZoneInfo("Asia/Shanghai"))
    InformationRequest.objects.filter(pk=case.pk).update(closed_at=closed)
    y2025 = annual_report_figures(year=2025, organisation=district)
    y2026 = annual_report_figures(year=2026, organisation=district)
    assert y2025["requests"]["new"] == EXPECTED_2025_DISTRICT_A["new"]
    assert y2025["requests"]["outcomes"]["other:other"] == cols(other=1)  # N6 only
    assert y2026["requests"]["new"] == cols(natural_person=1)
    assert y2026["requests"]["outcomes"]["other:other"] == cols(natural_person=1)
    assert table3_errors(y2025) == [] and table3_errors(y2026) == []


@pytest.mark.parametrize("size", [1, 40])
def test_the_figures_take_a_fixed_number_of_queries(size, django_assert_num_queries):
    from datetime import date

    from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
    from tests.factories import make_home, org_tree

    home = make_home()
    tree = org_tree()
    catalogue = add_catalogue(home)
    genre, topic = GenreFactory(name="规章", slug="gz"), TopicFactory(name="社会救助", slug="shjz")
    rows = []
    for n in range(size):
        add_document(
            catalogue,
            organisation=tree["district_a"],
            topic=topic,
            genre=genre,
            written_date=date(2025, 1, 2),
            published_date=date(2025, 1, 3),
        )
        rows.append(
            InformationRequest(
                case_number=f"GK20250101{n:06d}X",
                query_code_hash="x",
                status="submitted",
                organisation=tree["district_a"],
                applicant_name="张三",
                applicant_phone="13812341234",
                applicant_type="natural_person" if n % 2 else "legal_person",
                organisation_kind="" if n % 2 else "research",
                description="某信息",
                form="electronic",
                delivery="online",
                received_on=date(2025, 3, 3),
            )
        )
    InformationRequest.objects.bulk_create(rows)
    with django_assert_num_queries(4):
        figures = annual_report_figures(year=2025, organisation=tree["district_a"])
    assert figures["requests"]["new"]["total"] == size
    assert figures["documents"]["regulations"]["issued"] == size
