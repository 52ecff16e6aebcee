from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from services.selectors import (
    centre_index_context,
    commitment_rows,
    form_download_rows,
    guide_detail_context,
    live_guides,
    service_index_context,
    service_item_by_code,
)
from tests.services.factories import add_commitment_page, bulk_guides, make_document
from tests.services.world import WorldTestCase


class SelectorTests(WorldTestCase):
    def test_live_guides_skip_unpublished_pages(self):
        self.w["marriage"].unpublish()
        assert {g.code for g in live_guides()} == {"BZ-0002", "JZ-0001"}

    def test_index_context_paginates_and_reports_filter_errors(self):
        context = service_index_context(self.w["index"], QueryDict("organisation=nope"))
        assert "organisation" in context["filter_errors"]
        assert list(context["guides"]) == []
        context = service_index_context(self.w["index"], QueryDict("topic=funeral&page=9"))
        assert [g.code for g in context["guides"]] == ["BZ-0002"]
        assert context["query_string"] == "topic=funeral"
        assert context["is_filtered"]
        assert [s.title for s in context["sections"]] == ["殡葬服务收费标准", "社区事务受理中心"]

    def test_form_download_rows_list_materials_with_documents(self):
        guide = self.w["dibao"]
        material = guide.materials.get(code="income_proof")
        material.blank_form = make_document("收入证明（空白表格）")
        material.save()
        rows = form_download_rows(self.w["index"])
        assert [(r.guide.code, r.material.code) for r in rows] == [("JZ-0001", "income_proof")]

    def test_guide_detail_context(self):
        context = guide_detail_context(self.w["cremation"])
        assert [f.code for f in context["fee_items"]] == ["transport", "cremation"]
        assert [s.name for s in context["steps"]] == ["受理", "审查", "办结"]
        assert guide_detail_context(self.w["dibao"])["centres"] == [
            self.w["centre"].page_ptr.specific
        ]

    def test_commitment_rows_without_case_data(self):
        page = add_commitment_page(
            self.w["index"],
            organisation=self.w["orgs"]["bureau"],
            commitments=[
                {"title": "一次告知", "content": "一次性告知"},
                {
                    "title": "低保",
                    "content": "20日",
                    "service_item": self.w["dibao"],
                    "promised_limit_days": 20,
                },
            ],
        )
        rows = commitment_rows(page)
        assert [r.commitment.title for r in rows] == ["一次告知", "低保"]
        assert rows[0].compliance is None  # a general pledge is not measured
        assert rows[1].compliance.finished == 0 and rows[1].compliance.rate is None

    def test_centre_index_counts_live_items(self):
        context = centre_index_context(self.w["centre_index"], RequestFactory().get("/"))
        assert [(c.title, c.item_count) for c in context["centres"]] == [
            ("外滩街道社区事务受理服务中心", 1)
        ]
        assert context["districts"] == ["黄浦区"]

    def test_service_item_by_code_only_finds_live_guides(self):
        assert service_item_by_code("JZ-0001").title == "最低生活保障"
        self.w["dibao"].unpublish()
        assert service_item_by_code("JZ-0001") is None


class QueryBudgetTests(WorldTestCase):
    def _count(self, fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    def test_listings_cost_the_same_for_5_and_200_guides(self):
        fees = list(self.w["fees"].items.all())
        bulk_guides(self.w["index"], 2, organisation=self.w["orgs"]["bureau"], fee_items=fees)

        def index_page():
            context = service_index_context(self.w["index"], QueryDict("page_size=200"))
            for guide in context["guides"]:
                guide.fee_summary(), guide.organisation.name

        def guides():
            for guide in live_guides():
                guide.fee_summary(), guide.organisation.name

        index_page()  # warm: what the shared cache keeps (restricted paths, synonyms) is read once
        small = (self._count(index_page), self._count(guides))
        bulk_guides(self.w["index"], 195, organisation=self.w["orgs"]["district_a"], fee_items=fees)
        assert live_guides().count() == 200
        assert (self._count(index_page), self._count(guides)) == small
