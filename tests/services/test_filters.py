from django.http import QueryDict

from services.filters import ServiceCentreFilter, ServiceGuideFilter
from services.models import ServiceCentrePage, ServiceGuidePage
from tests.services.world import WorldTestCase


def _codes(params: str) -> set[str]:
    filterset = ServiceGuideFilter(QueryDict(params), queryset=ServiceGuidePage.objects.live())
    assert filterset.is_valid(), filterset.errors
    return {g.code for g in filterset.qs}


def _errors(params: str) -> dict:
    filterset = ServiceGuideFilter(QueryDict(params), queryset=ServiceGuidePage.objects.live())
    assert not filterset.is_valid()
    return filterset.errors


class GuideFilterTests(WorldTestCase):
    def test_no_filter_lists_every_guide(self):
        assert _codes("") == {"HY-0001", "BZ-0002", "JZ-0001"}

    def test_by_topic(self):
        assert _codes("topic=funeral") == {"BZ-0002"}

    def test_by_type(self):
        assert _codes("type=benefit") == {"JZ-0001"}

    def test_by_online_capability(self):
        assert _codes("online=true") == {"JZ-0001"}
        assert _codes("online=false") == {"HY-0001", "BZ-0002"}

    def test_by_organisation_includes_the_bodies_below_it(self):
        assert _codes("organisation=002479001") == {"JZ-0001"}
        assert _codes("organisation=000014349") == {"HY-0001", "BZ-0002", "JZ-0001"}
        assert _codes("organisation=002482001") == set()

    def test_by_keyword_in_title_code_or_summary(self):
        assert _codes("q=结婚") == {"HY-0001"}
        assert _codes("q=jz-0001") == {"JZ-0001"}
        assert _codes("q=自愿") == {"HY-0001"}
        assert _codes("q=最低 保障") == {"JZ-0001"}

    def test_a_keyword_finds_every_form_of_a_word(self):
        from portal.search_synonyms import SearchSynonym

        assert _codes("q=低保") == {"JZ-0001"}  # shipped: 低保 = 最低生活保障
        assert _codes("q=领证") == set()
        SearchSynonym.objects.create(canonical="结婚登记", aliases="领证")  # an editor's
        assert _codes("q=领证") == {"HY-0001"}
        assert _codes("q=不存在的事项") == set()

    def test_filters_combine(self):
        assert _codes("topic=assistance&online=true&q=保障") == {"JZ-0001"}
        assert _codes("topic=marriage&online=true") == set()

    def test_bad_values_are_reported_in_chinese(self):
        assert _errors("organisation=999")["organisation"] == ["没有机构代码为“999”的机构。"]
        assert _errors("topic=zzz")["topic"] == ["没有这个主题分类。"]
        assert _errors("type=zzz")["type"] == ["没有这个事项类型。"]
        assert _errors("q=" + "长" * 51)["q"] == ["关键词不能超过50个字。"]


class CentreFilterTests(WorldTestCase):
    def _titles(self, params):
        filterset = ServiceCentreFilter(QueryDict(params), queryset=ServiceCentrePage.objects.all())
        assert filterset.is_valid(), filterset.errors
        return [c.title for c in filterset.qs]

    def test_by_district_and_service_item(self):
        assert self._titles("district=黄浦区") == ["外滩街道社区事务受理服务中心"]
        assert self._titles("district=徐汇区") == []
        assert self._titles("item=JZ-0001") == ["外滩街道社区事务受理服务中心"]
        assert self._titles("item=HY-0001") == []

    def test_unknown_service_item_is_an_error(self):
        filterset = ServiceCentreFilter(
            QueryDict("item=NOPE"), queryset=ServiceCentrePage.objects.all()
        )
        assert not filterset.is_valid()
        assert filterset.errors["item"] == ["没有编码为“NOPE”的办事事项。"]
