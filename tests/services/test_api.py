from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.services.factories import bulk_guides, make_document
from tests.services.world import WorldTestCase


class ServiceItemListTests(WorldTestCase):
    def test_lists_live_items_with_the_documented_fields(self):
        response = self.client.get("/api/v1/service-items")
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == 3
        item = next(i for i in data["results"] if i["code"] == "BZ-0002")
        assert item["name"] == "遗体火化"
        assert item["organisation"] == {"code": "000014351", "name": "上海市殡葬服务中心"}
        assert item["type"] == "public_service" and item["type_label"] == "公共服务"
        assert item["online"] is False and item["apply_url"] is None
        assert item["statutory_limit_days"] == 20 and item["promised_limit_days"] == 10
        assert item["free"] is False
        assert item["fee_summary"] == "遗体接运费 300.00元/具；遗体火化费 460.00元/具"
        assert item["url"] == "http://testserver" + self.w["cremation"].url
        dibao = next(i for i in data["results"] if i["code"] == "JZ-0001")
        assert dibao["apply_url"] == "http://testserver" + self.w["dibao"].url + "apply/"

    def test_filters_like_the_page(self):
        def codes(query):
            return {
                i["code"]
                for i in self.client.get("/api/v1/service-items?" + query).json()["results"]
            }

        assert codes("topic=funeral") == {"BZ-0002"}
        assert codes("online=true") == {"JZ-0001"}
        assert codes("online=false") == {"HY-0001", "BZ-0002"}
        assert codes("type=confirmation") == {"HY-0001"}
        assert codes("organisation=002479001") == {"JZ-0001"}
        assert codes("q=结婚") == {"HY-0001"}

    def test_pagination(self):
        data = self.client.get("/api/v1/service-items?page_size=2&page=2").json()
        assert (data["count"], data["page"], data["page_size"], len(data["results"])) == (
            3,
            2,
            2,
            1,
        )

    def test_bad_input_gets_a_clear_422(self):
        response = self.client.get("/api/v1/service-items?organisation=nope")
        assert response.status_code == 422
        assert response.json() == {
            "detail": "筛选条件有误。",
            "errors": {"organisation": ["没有机构代码为“nope”的机构。"]},
        }
        for query in ("topic=zzz", "type=zzz", "online=maybe", "page=0", "page_size=101"):
            response = self.client.get("/api/v1/service-items?" + query)
            assert response.status_code == 422, query
            assert response.json()["errors"], query

    def test_unpublished_guides_are_not_listed(self):
        self.w["marriage"].unpublish()
        codes = {i["code"] for i in self.client.get("/api/v1/service-items").json()["results"]}
        assert codes == {"BZ-0002", "JZ-0001"}

    def test_in_the_openapi_document(self):
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        assert "get" in paths["/api/v1/service-items"]
        assert "get" in paths["/api/v1/service-items/{code}"]

    def test_query_count_is_the_same_for_5_and_200_items(self):
        fees = list(self.w["fees"].items.all())
        bulk_guides(self.w["index"], 2, organisation=self.w["orgs"]["bureau"], fee_items=fees)
        url = "/api/v1/service-items?page_size=100"
        self.client.get(url)  # warm the site-root cache

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(url).status_code == 200
            return len(ctx.captured_queries)

        small = count()
        bulk_guides(self.w["index"], 195, organisation=self.w["orgs"]["bureau"], fee_items=fees)
        assert self.client.get(url).json()["count"] == 200
        assert count() == small
        assert small <= 6


class ServiceItemDetailTests(WorldTestCase):
    def test_one_item_with_materials_form_fields_fees_and_centres(self):
        material = self.w["dibao"].materials.get(code="income_proof")
        material.blank_form = make_document("收入证明")
        material.save()
        response = self.client.get("/api/v1/service-items/JZ-0001")
        assert response.status_code == 200
        data = response.json()
        assert [
            {k: m[k] for k in ("code", "name", "required", "kind")} for m in data["materials"]
        ] == [
            {
                "code": "id_card",
                "name": "居民身份证",
                "required": True,
                "kind": "original_and_copy",
            },
            {"code": "income_proof", "name": "收入证明", "required": False, "kind": "original"},
        ]
        assert data["materials"][1]["blank_form_url"].startswith("http://testserver/documents/")
        assert data["materials"][0]["blank_form_url"] is None
        assert [f["key"] for f in data["form_fields"]] == ["family_size", "reason"]
        assert [s["name"] for s in data["steps"]] == ["受理", "审查", "办结"]
        assert data["legal_basis"][0]["law_name"] == "中华人民共和国民法典"
        assert [c["name"] for c in data["centres"]] == ["外滩街道社区事务受理服务中心"]

    def test_fee_amounts_are_decimal_strings(self):
        fees = self.client.get("/api/v1/service-items/BZ-0002").json()["fees"]
        assert [(f["code"], f["amount"]) for f in fees] == [
            ("transport", "300.00"),
            ("cremation", "460.00"),
        ]

    def test_unknown_or_unpublished_code_is_404(self):
        response = self.client.get("/api/v1/service-items/NOPE")
        assert response.status_code == 404
        assert response.json() == {"detail": "没有编码为“NOPE”的办事事项。", "errors": {}}
        self.w["dibao"].unpublish()
        assert self.client.get("/api/v1/service-items/JZ-0001").status_code == 404

    def test_detail_query_count_is_fixed(self):
        url = "/api/v1/service-items/JZ-0001"
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        # guide, 6 prefetched relations, page view restrictions (2): independent of list lengths
        assert len(ctx.captured_queries) <= 10
