"""附表: a document's data tables render accessibly (caption, th scope, merged cells) inside the
scrollable wrapper, are searchable, and an imported table comes out of the page as it went in."""

from datetime import date

import pytest

from disclosure.actions import document_publish
from disclosure.blocks import DocumentTableBlock
from disclosure.importer.html import Normaliser
from disclosure.models import DisclosureDocumentPage
from portal.search import search_pages
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue
from tests.factories import make_home, org_tree

OLD_TABLE = (
    "<p>标准如下：</p><table border=1><caption>2026年城乡低保标准</caption>"
    "<tr><th rowspan=2>地区</th><th colspan=2>月标准（元）</th></tr>"
    "<tr><th>城镇</th><th>农村</th></tr>"
    "<tr><th>黄浦区</th><td>1510</td><td>1510</td></tr>"
    "<tr><th>崇明区</th><td colspan=2>1420（城乡统一）</td></tr></table><p>自2026年7月1日起执行。</p>"
)


def normalise(html):
    return Normaliser(resolve_image=lambda s, a: None, resolve_link=lambda h, t: None).normalise(
        html
    )


def test_a_merged_cell_table_renders_caption_scopes_and_spans_in_the_scroll_wrapper():
    [value] = normalise(OLD_TABLE).tables
    html = DocumentTableBlock().render(DocumentTableBlock().to_python(value))
    assert html.startswith('<div class="table-wrap doc-table" role="region" tabindex="0"')
    assert 'aria-label="附表1　2026年城乡低保标准"' in html
    assert "<caption>附表1　2026年城乡低保标准</caption>" in html
    assert '<th scope="col" rowspan="2" colspan="1">地区</th>' in html
    assert '<th scope="col" rowspan="1" colspan="2">月标准（元）</th>' in html
    # the second header row is the body's first: its first cell is covered by 地区, not drawn
    assert "<tr><td >城镇</td><td >农村</td></tr>" in html
    assert (
        '<tr><th scope="row" >崇明区</th><td rowspan="1" colspan="2">1420（城乡统一）</td></tr>'
        in html
    )
    assert html.count("<td") + html.count("<th ") == 2 + 2 + 3 + 2


def test_first_column_headers_and_an_empty_table():
    [value] = normalise(
        "<table><tr><th>项目</th><td>内容</td></tr><tr><th>电话</th><td>12345</td></tr></table>"
    ).tables
    assert value["first_row_is_table_header"] is False
    assert value["first_col_is_header"] is True
    assert value["table_header_choice"] == "column"
    html = DocumentTableBlock().render(value)
    assert '<th scope="row" >电话</th><td >12345</td>' in html
    assert "<thead>" not in html
    result = normalise("<table><tr><td> </td><td>&nbsp;</td></tr></table>")
    assert result.tables == [] and result.html == ""


@pytest.mark.django_db
def test_a_document_with_tables_shows_them_after_the_body_and_is_found_by_cell_text(client):
    orgs = org_tree()
    xxgk = add_catalogue(make_home())
    normalised = normalise(OLD_TABLE)
    page, _created = document_publish(
        parent=xxgk,
        fields={
            "title": "关于调整本市最低生活保障标准的通知",
            "slug": "dibao-2026",
            "document_number": "沪民〔2026〕9号",
            "written_date": date(2026, 6, 1),
            "published_date": date(2026, 6, 2),
            "topic": TopicFactory(name="社会救助", slug="shjz"),
            "genre": GenreFactory(name="通知", slug="tz"),
            "issuing_organisation": orgs["bureau"],
            "body": normalised.html,
            "tables": [("table", value) for value in normalised.tables],
        },
    )
    html = client.get(page.url).content.decode()
    body_at = html.index("（见附表1：2026年城乡低保标准）")
    table_at = html.index('<section class="doc-tables" aria-label="附表">')
    assert body_at < html.index("自2026年7月1日起执行。") < table_at
    assert '<th scope="col" rowspan="1" colspan="2">月标准（元）</th>' in html[table_at:]
    # the cell text is in the search index (only in a cell: not in the body)
    assert "1420" not in page.body
    found, _terms = search_pages("城乡统一")
    assert [p.pk for p in found] == [page.pk]
    # an edit of the body keeps the tables
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    assert page.tables[0].value["data"][3] == ["崇明区", "1420（城乡统一）", ""]
