from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.services.factories import add_commitment_page, bulk_guides, make_document
from tests.services.world import WorldTestCase


class ServiceIndexPageTests(WorldTestCase):
    def test_lists_guides_with_filters_and_section_links(self):
        response = self.client.get("/bsfw/")
        assert response.status_code == 200
        html = response.content.decode()
        for title in (
            "内地居民结婚登记",
            "遗体火化",
            "最低生活保障",
            "表格下载",
            "殡葬服务收费标准",
        ):
            assert title in html
        assert "共 3 个事项" in html
        assert 'href="/bsfw/bgxz/"' in html
        assert 'style="' not in html

    def test_filters_in_the_query_string(self):
        html = self.client.get("/bsfw/?topic=funeral").content.decode()
        assert "遗体火化" in html and "最低生活保障" not in html
        html = self.client.get("/bsfw/?online=true").content.decode()
        assert "最低生活保障" in html and "遗体火化" not in html
        html = self.client.get("/bsfw/?q=结婚").content.decode()
        assert "共 1 个事项" in html

    def test_bad_filter_shows_a_chinese_error(self):
        response = self.client.get("/bsfw/?organisation=nope")
        assert response.status_code == 200
        assert "没有机构代码为“nope”的机构。" in response.content.decode()

    def test_fixed_query_count_for_5_and_200_guides(self):
        bulk_guides(self.w["index"], 2, organisation=self.w["orgs"]["bureau"])
        self.client.get("/bsfw/")

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get("/bsfw/").status_code == 200
            return len(ctx.captured_queries)

        small = count()
        bulk_guides(self.w["index"], 195, organisation=self.w["orgs"]["district_a"])
        assert "共 200 个事项" in self.client.get("/bsfw/").content.decode()
        assert count() == small

    def test_form_downloads_view(self):
        material = self.w["dibao"].materials.get(code="income_proof")
        material.blank_form = make_document("收入证明（空白表格）")
        material.sample = make_document("收入证明（填写样本）", "sample.xlsx")
        material.save()
        response = self.client.get("/bsfw/bgxz/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "收入证明" in html and "最低生活保障" in html
        assert html.count('href="/documents/') == 2


class ServiceGuidePageTests(WorldTestCase):
    def test_shows_every_element(self):
        html = self.client.get(self.w["dibao"].url).content.decode()
        for text in (
            "JZ-0001",
            "行政给付",
            "黄浦区民政局",
            "承诺件",
            "30个工作日",
            "20个工作日",
            "居民身份证",
            "原件和复印件",
            "中华人民共和国民法典",
            "办理流程",
            "外滩街道社区事务受理服务中心",
            "不收费",
        ):
            assert text in html, text

    def test_apply_button_only_when_online_application_is_open(self):
        dibao = self.client.get(self.w["dibao"].url).content.decode()
        assert f'href="{self.w["dibao"].url}apply/"' in dibao and "在线申请" in dibao
        marriage = self.client.get(self.w["marriage"].url).content.decode()
        assert "在线申请" not in marriage and "apply/" not in marriage
        assert "当场办结" in marriage

    def test_fees_link_to_the_fee_standard(self):
        html = self.client.get(self.w["cremation"].url).content.decode()
        assert "遗体火化费" in html and "460.00元/具" in html
        assert f'href="{self.w["fees"].url}"' in html

    def test_printable(self):
        html = self.client.get(self.w["dibao"].url).content.decode()
        assert "/static/css/print.css" in html and "/static/css/services.css" in html
        assert 'class="guide-actions no-print"' in html


class OtherPagesTests(WorldTestCase):
    def test_fee_standard_page(self):
        html = self.client.get(self.w["fees"].url).content.decode()
        assert "遗体接运费" in html and "300.00" in html and "沪价费〔2015〕12号" in html
        assert "2016年1月1日" in html
        assert "遗体火化</a>" in html  # the guide that charges it

    def test_commitment_page_shows_the_promise(self):
        page = add_commitment_page(
            self.w["index"],
            organisation=self.w["orgs"]["bureau"],
            commitments=[
                {"title": "一次告知", "content": "一次性告知需补正的全部内容"},
                {
                    "title": "低保限时办结",
                    "content": "20个工作日内审批",
                    "service_item": self.w["dibao"],
                    "promised_limit_days": 20,
                },
            ],
        )
        html = self.client.get(page.url).content.decode()
        assert "一次性告知需补正的全部内容" in html and "全部事项" in html
        assert "低保限时办结" in html and "30个工作日" in html and "20个工作日" in html
        assert "尚无办结数据" in html

    def test_centre_index_and_filters(self):
        url = self.w["centre_index"].url
        html = self.client.get(url).content.decode()
        assert "外滩街道社区事务受理服务中心" in html and "1 项" in html
        assert (
            "外滩街道"
            not in self.client.get(url + "?district=徐汇区").content.decode().split("<table")[-1]
        )
        html = self.client.get(url + "?item=HY-0001").content.decode()
        assert "没有符合条件的受理中心。" in html
        html = self.client.get(url + "?item=NOPE").content.decode()
        assert "没有编码为“NOPE”的办事事项。" in html

    def test_centre_page_lists_its_items(self):
        html = self.client.get(self.w["centre"].url).content.decode()
        assert "最低生活保障" in html and "可网上申请" in html
        assert "周一至周六 9:00-17:00" in html
