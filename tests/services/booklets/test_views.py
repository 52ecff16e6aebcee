"""services/booklets/views.py: the booklets and cards on the site, their caching and renewal."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from services.booklets import actions, selectors
from services.booklets.tasks import build_booklet
from tests.services.factories import add_centre, add_guide, bulk_guides
from tests.services.world import WorldTestCase

from .pdfutil import embedded_fonts, pages_text, qr_codes

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class CardTests(WorldTestCase):
    def test_the_guide_page_links_its_cards(self):
        html = self.client.get(self.w["dibao"].url).content.decode()
        assert f'href="{self.w["dibao"].url}card/a4/"' in html
        assert f'href="{self.w["dibao"].url}card/a5/"' in html

    def test_card_pdf_with_qr_code_to_the_guide(self):
        for size in ("a4", "a5"):
            response = self.client.get(f"{self.w['dibao'].url}card/{size}/")
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert "public" in response["Cache-Control"] and response["ETag"]
            assert "Last-Modified" in response
            data = response.content
            texts = pages_text(data)
            assert len(texts) == 1
            for expected in ("一次告知单", "最低生活保障", "居民身份证", "收入证明", "20个工作日"):
                assert expected in texts[0]
            assert "外滩街道社区事务受理服务中心" in texts[0]  # where to go
            assert qr_codes(data) == [f"http://testserver{self.w['dibao'].url}"]
            assert all(embedded_fonts(data).values())

    def test_unknown_or_unpublished_guides_have_no_card(self):
        assert self.client.get("/bsfw/nothing/card/a4/").status_code == 404
        assert self.client.get(f"{self.w['dibao'].url}card/a3/").status_code == 404
        self.w["cremation"].unpublish()
        assert self.client.get(f"{self.w['cremation'].url}card/a4/").status_code == 404

    def test_a_repeated_request_with_the_etag_is_304(self):
        url = f"{self.w['dibao'].url}card/a4/"
        etag = self.client.get(url)["ETag"]
        assert self.client.get(url, headers={"if-none-match": etag}).status_code == 304

    def test_a_card_is_rendered_once_and_again_after_a_change(self):
        url = f"{self.w['dibao'].url}card/a5/"
        first = self.client.get(url)
        with self.assertNumQueries(6):  # the site, the guide and its relations, the settings
            assert self.client.get(url)["ETag"] == first["ETag"]
        dibao = self.w["dibao"]
        dibao.consult_phone = "021-99998888"
        with self.captureOnCommitCallbacks(execute=True):
            dibao.save_revision().publish()
        renewed = self.client.get(url)
        assert renewed["ETag"] != first["ETag"]
        assert "021-99998888" in pages_text(renewed.content)[0]

    def test_without_a_cjk_font_the_answer_is_503_not_500(self):
        from tests.services.applications.test_receipt import without_cjk_fonts

        with pytest.MonkeyPatch.context() as monkeypatch, without_cjk_fonts(monkeypatch):
            for url in (f"{self.w['dibao'].url}card/a4/", f"{self.w['centre'].url}hb/"):
                response = self.client.get(url)
                assert response.status_code == 503 and response["Retry-After"] == "3600"
                assert "no-store" in response["Cache-Control"]
                assert "PDF 暂时无法生成" in response.content.decode()


class BookletTests(WorldTestCase):
    def centre_url(self):
        return f"{self.w['centre'].url}hb/"

    def test_the_centre_page_links_its_booklet_and_its_districts(self):
        html = self.client.get(self.w["centre"].url).content.decode()
        assert f'href="{self.centre_url()}"' in html and "办事指南汇编" in html
        assert 'href="/bsfw/hb/district/002479001/"' in html and "黄浦区民政局办事指南汇编" in html

    def test_a_topic_page_links_its_booklet(self):
        html = self.client.get("/bsfw/?topic=funeral").content.decode()
        assert 'href="/bsfw/hb/topic/funeral/"' in html and "办事指南汇编" in html
        assert "/hb/topic/" not in self.client.get("/bsfw/").content.decode()

    def test_centre_booklet(self):
        response = self.client.get(self.centre_url())
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "public" in response["Cache-Control"]
        assert response["ETag"] and response["Last-Modified"]
        texts = pages_text(response.content)
        assert "外滩街道社区事务受理服务中心办事指南汇编" in texts[0].replace("\n", "")
        assert "1. 最低生活保障 3" in texts[1]
        assert texts[2].startswith("最低生活保障\n") and "第 3 页" in texts[2]
        assert "内地居民结婚登记" not in "".join(texts)  # not handled at this centre
        assert all(embedded_fonts(response.content).values())

    def test_topic_and_district_booklets(self):
        texts = pages_text(self.client.get("/bsfw/hb/topic/funeral/").content)
        assert "殡葬服务办事指南汇编" in texts[0].replace("\n", "")
        assert "遗体火化" in texts[1] and "遗体接运费：300.00元/具" in "".join(texts)
        texts = pages_text(self.client.get("/bsfw/hb/district/002479001/").content)
        joined = "".join(texts)
        assert "黄浦区民政局办事指南汇编" in texts[0].replace("\n", "")
        assert "最低生活保障" in joined and "内地居民结婚登记" not in joined

    def test_unknown_scopes_are_404(self):
        for url in (
            "/bsfw/hb/topic/nothing/",
            "/bsfw/hb/district/000014349/",  # the bureau is not a district
            "/bsfw/nothing/hb/",
            "/nothing/hb/topic/funeral/",
        ):
            assert self.client.get(url).status_code == 404, url

    def test_a_booklet_is_kept_until_one_of_its_guides_changes(self):
        first = self.client.get(self.centre_url())
        assert actions.booklet_stored(kind="centre", key=str(self.w["centre"].pk), within_id=None)
        again = self.client.get(self.centre_url())
        assert again["ETag"] == first["ETag"]
        dibao = self.w["dibao"]
        dibao.title = "最低生活保障（新）"
        with self.captureOnCommitCallbacks(execute=True):
            dibao.save_revision().publish()
        assert not actions.booklet_stored(
            kind="centre", key=str(self.w["centre"].pk), within_id=None
        )
        renewed = self.client.get(self.centre_url())
        assert renewed["ETag"] != first["ETag"]
        assert "最低生活保障（新）" in "".join(pages_text(renewed.content))

    def test_a_fee_or_an_organisation_change_ends_the_booklets_too(self):
        ids = {"kind": "topic", "key": "funeral", "within_id": self.w["index"].pk}
        self.client.get("/bsfw/hb/topic/funeral/")
        assert actions.booklet_stored(**ids)
        fees = self.w["fees"]
        with self.captureOnCommitCallbacks(execute=True):
            fees.save_revision().publish()
        assert not actions.booklet_stored(**ids)
        self.client.get("/bsfw/hb/topic/funeral/")
        assert actions.booklet_stored(**ids)
        organisation = self.w["orgs"]["unit"]
        with self.captureOnCommitCallbacks(execute=True):
            organisation.save_revision().publish()
        assert not actions.booklet_stored(**ids)

    @override_settings(FRONT_CACHE_APP=True)
    def test_the_front_cache_keeps_the_pdf_until_a_guide_is_published(self):
        first = self.client.get(self.centre_url())
        assert first["X-Cache"] == "MISS"
        assert self.client.get(self.centre_url())["X-Cache"] == "HIT"
        dibao = self.w["dibao"]
        dibao.title = "最低生活保障（修订）"
        with self.captureOnCommitCallbacks(execute=True):
            dibao.save_revision().publish()
        after = self.client.get(self.centre_url())
        assert after["X-Cache"] == "MISS"
        assert "最低生活保障（修订）" in "".join(pages_text(after.content))

    @override_settings(BOOKLET_INLINE_MAX=0, TASKS=DUMMY_TASKS)
    def test_a_large_booklet_is_built_by_the_worker_while_the_page_says_so(self):
        url = "/bsfw/hb/topic/marriage/"
        response = self.client.get(url)
        assert response.status_code == 202
        html = response.content.decode()
        assert '<meta http-equiv="refresh" content="5">' in html and "正在生成" in html
        assert "no-store" in response["Cache-Control"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)
        assert actions.booklet_building(kind="topic", key="marriage", within_id=self.w["index"].pk)
        assert self.client.get(url).status_code == 202  # not queued twice, still building
        # what the worker runs:
        build_booklet.call(kind="topic", key="marriage", within_id=self.w["index"].pk)
        done = self.client.get(url)
        assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
        assert "内地居民结婚登记" in "".join(pages_text(done.content))

    @override_settings(BOOKLET_INLINE_MAX=0)
    def test_with_an_immediate_worker_the_first_request_gets_the_pdf(self):
        assert self.client.get("/bsfw/hb/topic/marriage/").status_code == 200

    def test_the_worker_skips_a_vanished_scope(self):
        assert build_booklet.call(kind="centre", key="999999", within_id=None) == 0


@pytest.mark.django_db
class BookletQueryTests(WorldTestCase):
    def count(self, scope, django_assert_max_num_queries=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            sheets = selectors.booklet_sheets(scope)
        return len(sheets), len(ctx.captured_queries)

    def test_the_booklet_reads_cost_the_same_for_5_and_50_guides(self):
        centre = add_centre(self.w["centre"].get_parent(), district="徐汇区", title="测试中心")
        org = self.w["orgs"]["district_b"]
        fees = list(self.w["fees"].items.all())
        bulk_guides(self.w["index"], 5, organisation=org, fee_items=fees, centres=[centre])
        centre.save()  # the centre's items are a ParentalManyToManyField: saved with the page
        scope = selectors.resolve_scope(kind="centre", key=str(centre.pk), within_id=None)
        selectors.booklet_sheets(scope)  # warm the shared caches (restricted paths, site roots)
        small = self.count(scope)
        bulk_guides(self.w["index"], 45, organisation=org, fee_items=fees, centres=[centre])
        centre.save()
        large = self.count(scope)
        assert small[0] == 5 and large[0] == 50
        assert large[1] == small[1] <= 5

    def test_a_guide_sheet_has_every_printed_element(self):
        guide = add_guide(
            self.w["index"],
            organisation=self.w["orgs"]["district_a"],
            title="临时救助",
            acceptance_conditions="<p>因意外事件陷入困境</p><ul><li>本市户籍</li></ul>",
            consult_phone="",
            venue="黄浦区民政局二楼",
            office_hours="工作日 9:00-17:00",
        )
        sheet = selectors.guide_sheet(selectors.card_guide(guide.url_path))
        assert sheet.conditions == "因意外事件陷入困境\n• 本市户籍"
        assert sheet.places[0].name == "黄浦区民政局二楼"
        assert sheet.consult_phone == self.w["orgs"]["district_a"].phone
        assert sheet.url == guide.url
        cache.clear()
