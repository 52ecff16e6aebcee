"""portal/search.py: Chinese segmentation at indexing and query time, synonyms, highlighting."""

import pytest

from portal.search import get_segmenter, highlight, index_text, query_string, search_pages
from tests.factories import add_standard_page, make_home


@pytest.mark.django_db
def test_segmenter_splits_titles_and_canonicalises_abbreviations():
    seg = get_segmenter()
    terms = seg.index_terms("婚姻登记处办理结婚登记")
    assert {"结婚", "登记", "结婚登记", "婚姻登记"} <= set(terms)
    assert query_string("结婚登记") == "结婚登记"
    assert query_string("低保") == "最低生活保障"
    assert "最低生活保障" in index_text("本市低保标准调整")
    assert query_string("的 和 ，。") == ""  # nothing meaningful left
    assert set(seg.display_terms("低保")) >= {"低保", "最低生活保障"}


def test_highlight_escapes_and_marks():
    html = highlight("<b>最低生活保障</b>和低保", ["低保", "最低生活保障"])
    assert html == "&lt;b&gt;<mark>最低生活保障</mark>&lt;/b&gt;和<mark>低保</mark>"


@pytest.mark.django_db
class TestSiteSearch:
    @pytest.fixture
    def site(self):
        home = make_home()
        services = add_standard_page(home, "办事服务", "bsfw")
        info = add_standard_page(home, "政府信息公开", "xxgk")
        pages = {
            "marriage": add_standard_page(services, "婚姻登记处办理结婚登记", "marriage"),
            "dibao": add_standard_page(info, "关于调整本市最低生活保障标准的通知", "dibao"),
            "short": add_standard_page(
                info, "低保边缘家庭认定办法", "edge", intro="适用于低保边缘家庭"
            ),
            "elderly": add_standard_page(
                services, "养老服务补贴申请", "elderly", intro="特困人员优先"
            ),
        }
        return {"home": home, "services": services, "info": info, **pages}

    def found(self, client, q, **params):
        response = client.get("/search/", {"q": q, **params})
        assert response.status_code == 200
        return [r["page"].title for r in response.context["results"]]

    def test_two_character_words_and_compounds_are_found(self, client, site):
        assert self.found(client, "结婚登记") == ["婚姻登记处办理结婚登记"]
        assert self.found(client, "结婚") == ["婚姻登记处办理结婚登记"]
        assert self.found(client, "登记") == ["婚姻登记处办理结婚登记"]

    def test_abbreviations_find_the_full_term_and_back(self, client, site):
        assert set(self.found(client, "低保")) == {
            "关于调整本市最低生活保障标准的通知",
            "低保边缘家庭认定办法",
        }
        assert "低保边缘家庭认定办法" in self.found(client, "最低生活保障")
        assert self.found(client, "特困") == ["养老服务补贴申请"]

    def test_section_filter_and_highlighting(self, client, site):
        assert self.found(client, "低保", section=site["services"].pk) == []
        html = client.get("/search/", {"q": "结婚登记"}).content.decode()
        assert "<mark>结婚登记</mark>" in html
        assert "style=" not in html

    def test_unpublished_pages_are_not_found(self, client, site):
        site["marriage"].unpublish()
        assert self.found(client, "结婚登记") == []

    def test_bad_queries_get_a_clear_message(self, client, site):
        assert "请输入有意义的搜索词" in client.get("/search/", {"q": "的"}).content.decode()
        response = client.get("/search/", {"q": "低" * 101})
        assert response.status_code == 400
        assert "搜索词不能超过100个字。" in response.content.decode()

    def test_search_pages_api(self, site):
        results, terms = search_pages("结婚登记")
        assert [p.title for p in results] == ["婚姻登记处办理结婚登记"]
        assert "结婚登记" in terms


@pytest.mark.django_db
def test_service_guides_are_found_by_segmented_words(client):
    from tests.services.case_fixtures import case_world, make_guide

    world = case_world()
    make_guide(
        world["bsfw"],
        world["tree"]["centre_a1"],
        code="310100-MZ-HY-9",
        title="婚姻登记处办理结婚登记",
    )
    html = client.get("/search/", {"q": "结婚登记"}).content.decode()
    assert "婚姻登记处办理" in html


@pytest.mark.django_db
def test_nothing_found_says_so_with_suggestions(client):
    home = make_home()
    info = add_standard_page(home, "政府信息公开", "xxgk")
    add_standard_page(info, "关于调整本市最低生活保障标准的通知", "dibao")
    response = client.get("/search/", {"q": "火星移民"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有找到与“火星移民”相关的内容" in html
    assert "检查搜索词是否有错别字" in html
    assert 'href="/xxgk/ysqgk/"' in html and 'href="/bsfw/"' in html
    assert "在全部栏目中搜索" not in html
    # within a section: a way to search everywhere
    html = client.get("/search/", {"q": "火星移民", "section": info.pk}).content.decode()
    assert 'href="?q=%E7%81%AB%E6%98%9F%E7%A7%BB%E6%B0%91"' in html
    # a hit shows no such block
    html = client.get("/search/", {"q": "低保"}).content.decode()
    assert "没有找到与" not in html
