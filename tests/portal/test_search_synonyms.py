"""搜索同义词 editors add in the admin (portal/search_synonyms.py): merged with the shipped file,
effective at the next query in every process (a version in the shared cache), without a reindex."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import QueryDict

from disclosure.selectors import filtered_documents
from portal.search import SYNONYMS_VERSION_KEY, JiebaSegmenter, get_segmenter, query_string
from portal.search_synonyms import SearchSynonym
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import UserFactory, add_standard_page, make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    home = make_home()
    services = add_standard_page(home, "办事服务", "bsfw")
    return {
        "home": home,
        "marriage": add_standard_page(services, "婚姻登记处办理结婚登记", "marriage"),
        "home_care": add_standard_page(services, "居家养老服务指南", "home-care"),
    }


def found(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return [
        r["title"].replace("<mark>", "").replace("</mark>", "") for r in response.context["results"]
    ]


def test_the_shipped_list_knows_common_minzheng_abbreviations():
    for alias, canonical in {
        "低保": "最低生活保障",
        "特困": "特困人员",
        "临救": "临时救助",
        "残补": "残疾人两项补贴",
        "养老补贴": "养老服务补贴",
        "婚登": "婚姻登记",
        "居委会": "居民委员会",
    }.items():
        assert query_string(alias) == canonical, alias


def test_a_synonym_added_in_the_admin_works_at_once_for_pages_indexed_before(client, site):
    assert found(client, "领证") == []
    SearchSynonym.objects.create(canonical="结婚登记", aliases="领证、领结婚证")
    # No reindex: the query is expanded to every form of the word.
    assert found(client, "领证") == ["婚姻登记处办理结婚登记"]
    assert found(client, "领结婚证") == ["婚姻登记处办理结婚登记"]


def test_a_new_canonical_word_finds_pages_that_only_use_the_alias(client, site):
    # 居家养老 was indexed as written; 上门养老 is added later with it as an alias.
    assert found(client, "上门养老") == []
    SearchSynonym.objects.create(canonical="上门养老", aliases="居家养老")
    assert found(client, "上门养老") == ["居家养老服务指南"]


def test_disabled_and_deleted_synonyms_stop_working_at_once(client, site):
    synonym = SearchSynonym.objects.create(canonical="结婚登记", aliases="领证")
    assert found(client, "领证") == ["婚姻登记处办理结婚登记"]
    synonym.enabled = False
    synonym.save()
    assert found(client, "领证") == []
    synonym.enabled = True
    synonym.save()
    assert found(client, "领证") == ["婚姻登记处办理结婚登记"]
    synonym.delete()
    assert found(client, "领证") == []
    # 结婚登记 is a word of the 民政 dictionary: it stays one when the synonym goes.
    assert "结婚登记" in get_segmenter().index_terms("婚姻登记处办理结婚登记")


def test_another_process_sees_the_change_through_the_shared_version():
    other = JiebaSegmenter()  # another gunicorn process: its own segmenter, the same cache
    other.refresh()
    assert other.canonical("领证") == "领证"
    before = cache.get(SYNONYMS_VERSION_KEY)
    SearchSynonym.objects.create(canonical="结婚登记", aliases="领证")
    assert cache.get(SYNONYMS_VERSION_KEY) != before
    other.refresh()
    assert other.canonical("领证") == "结婚登记"
    assert other.variants("结婚登记") == ["结婚登记", "领证"]
    assert other.query_terms("领证") == ["结婚登记"]  # 领证 is now a word of its own


def test_a_flushed_cache_still_reads_the_synonyms():
    SearchSynonym.objects.create(canonical="结婚登记", aliases="领证")
    cache.clear()
    assert get_segmenter().canonical("领证") == "结婚登记"


def test_the_shipped_canonical_form_wins_for_a_word_in_both():
    SearchSynonym.objects.create(canonical="低保", aliases="低保待遇")
    seg = get_segmenter()
    assert seg.canonical("低保待遇") == "最低生活保障"
    assert "低保待遇" in seg.variants("最低生活保障")


def test_aliases_are_normalised_and_one_different_word_is_required():
    synonym = SearchSynonym(canonical=" 结婚登记 ", aliases="领证，领证 结婚登记;领结婚证")
    synonym.full_clean()
    assert (synonym.canonical, synonym.aliases) == ("结婚登记", "领证、领结婚证")
    with pytest.raises(ValidationError) as exc:
        SearchSynonym(canonical="结婚登记", aliases="结婚登记").full_clean()
    assert "请至少填写一个与规范用词不同的同义词或简称。" in exc.value.message_dict["aliases"]


def test_the_catalogue_keyword_filter_uses_the_admin_synonyms():
    orgs = org_tree()
    xxgk = add_catalogue(make_home())
    doc = add_document(
        xxgk, organisation=orgs["bureau"], title="关于做好困难残疾人生活补贴发放的通知"
    )
    _, qs = filtered_documents(data=QueryDict("q=残疾补助"))
    assert list(qs) == []
    SearchSynonym.objects.create(canonical="困难残疾人生活补贴", aliases="残疾补助")
    _, qs = filtered_documents(data=QueryDict("q=残疾补助"))
    assert list(qs) == [doc]


def test_editors_manage_synonyms_in_the_admin_in_chinese(client, site):
    client.force_login(UserFactory(username="root", is_superuser=True))
    add_url = "/admin/snippets/portal/searchsynonym/add/"
    html = client.get(add_url).content.decode()
    for label in ("规范用词", "同义词、简称", "启用"):
        assert label in html
    response = client.post(add_url, {"canonical": "结婚登记", "aliases": "领证", "enabled": "on"})
    assert response.status_code == 302
    assert "搜索同义词" in client.get("/admin/snippets/portal/searchsynonym/").content.decode()
    client.logout()
    assert found(client, "领证") == ["婚姻登记处办理结婚登记"]


def test_search_goes_on_when_the_shared_cache_is_down(monkeypatch):
    SearchSynonym.objects.create(canonical="结婚登记", aliases="领证")
    assert query_string("领证") == "结婚登记"

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    # the synonyms this process already has
    assert query_string("领证") == "结婚登记"
