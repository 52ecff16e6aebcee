"""Annual reports live in their organisation's own disclosure section: a district's draft is created
under /xxgk/<district>/ndbg/ by that district's editor, the bureau's column lists every published
report, a district's column only its own subtree's."""

import pytest
from django.core.exceptions import PermissionDenied

from disclosure.annual_report.actions import annual_report_generate
from disclosure.annual_report.models import AnnualReportIndexPage
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return editorial_world()


def publish(page):
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def test_a_district_editor_generates_the_draft_in_the_district_section(world):
    page, created = annual_report_generate(
        year=2025, organisation=world["tree"]["district_a"], user=world["district_a_editor"]
    )
    assert created and not page.live
    index = page.get_parent().specific
    assert isinstance(index, AnnualReportIndexPage)
    assert index.get_parent().pk == world["section_a"].pk
    assert index.live and index.slug == "ndbg"
    assert page.url_path.endswith("/xxgk/a/ndbg/2025-002479001/")
    # A second report of the district goes into the same column.
    second, _ = annual_report_generate(
        year=2024, organisation=world["tree"]["district_a"], user=world["district_a_editor"]
    )
    assert second.get_parent().pk == index.pk
    assert AnnualReportIndexPage.objects.child_of(world["section_a"]).count() == 1


def test_another_district_and_a_reviewer_without_add_rights_are_refused(world):
    with pytest.raises(PermissionDenied):
        annual_report_generate(
            year=2025, organisation=world["tree"]["district_a"], user=world["district_b_editor"]
        )
    with pytest.raises(PermissionDenied):
        annual_report_generate(
            year=2025, organisation=world["tree"]["district_a"], user=world["district_a_reviewer"]
        )
    assert not AnnualReportIndexPage.objects.child_of(world["section_a"]).exists()


def test_the_bureau_column_lists_every_report_and_a_district_column_its_own(client, world):
    tree = world["tree"]
    district_a, _ = annual_report_generate(year=2025, organisation=tree["district_a"])
    district_b, _ = annual_report_generate(year=2025, organisation=tree["district_b"])
    bureau, _ = annual_report_generate(year=2025, organisation=tree["bureau"])
    for page in (district_a, district_b, bureau):
        publish(page)
    assert bureau.get_parent().get_parent().pk == world["xxgk"].pk

    everything = client.get(bureau.get_parent().url).content.decode()
    assert all(page.title in everything for page in (district_a, district_b, bureau))

    own = client.get(district_a.get_parent().url).content.decode()
    assert district_a.title in own
    assert district_b.title not in own and bureau.title not in own


def test_the_bureau_column_filters_by_organisation_and_year(
    client, world, django_assert_num_queries
):
    tree = world["tree"]
    pages = [
        publish(annual_report_generate(year=year, organisation=tree[key])[0])
        for key in ("district_a", "district_b", "bureau")
        for year in (2024, 2025)
    ]
    url = pages[-1].get_parent().url
    html = client.get(url, {"organisation": tree["district_b"].code}).content.decode()
    titles = [page.title for page in pages]
    assert {t for t in titles if t in html} == {pages[2].title, pages[3].title}
    html = client.get(url, {"year": "2024"}).content.decode()
    assert {t for t in titles if t in html} == {pages[0].title, pages[2].title, pages[4].title}
    both = client.get(url, {"year": "2025", "organisation": tree["district_a"].code})
    shown = [t for t in titles if t in both.content.decode()]
    assert shown == [pages[1].title]
    # a value that is not offered is named and ignored
    html = client.get(url, {"organisation": "NOPE", "year": "1999"}).content.decode()
    assert "没有该机构已发布的年度报告" in html and "没有该年度已发布的年度报告" in html
    assert all(t in html for t in titles)
    # the same number of queries whatever the filter
    client.get(url)
    with django_assert_num_queries(_queries(client, url)):
        client.get(url, {"year": "2025", "organisation": tree["district_a"].code})


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx)
