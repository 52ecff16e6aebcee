from datetime import date

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from disclosure.models import DisclosureDocumentPage, DisclosureIndexPage, Validity
from portal.models import HomePage, StandardPage
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import make_home, org_tree


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.orgs = org_tree()
        cls.home = make_home()
        cls.xxgk = add_catalogue(cls.home)
        cls.doc = add_document(cls.xxgk, organisation=cls.orgs["bureau"])

    def test_tree_rules(self):
        self.assertCanCreateAt(HomePage, DisclosureIndexPage)
        self.assertCanCreateAt(DisclosureIndexPage, DisclosureIndexPage)
        self.assertCanCreateAt(DisclosureIndexPage, DisclosureDocumentPage)
        self.assertCanCreateAt(DisclosureIndexPage, StandardPage)
        self.assertCanNotCreateAt(HomePage, DisclosureDocumentPage)
        self.assertAllowedSubpageTypes(DisclosureDocumentPage, {})
        self.assertCanNotCreateAt(Page, DisclosureDocumentPage)

    def test_pages_render(self):
        self.assertPageIsRenderable(self.xxgk)
        self.assertPageIsRenderable(self.doc)

    def test_dates_and_validity_are_checked(self):
        doc = DisclosureDocumentPage.objects.get(pk=self.doc.pk)
        doc.written_date = date(2026, 4, 1)
        with pytest.raises(ValidationError) as err:
            doc.full_clean()
        assert "成文日期不能晚于发布日期。" in err.value.message_dict["written_date"]

        doc = DisclosureDocumentPage.objects.get(pk=self.doc.pk)
        doc.validity = Validity.REPEALED
        with pytest.raises(ValidationError) as err:
            doc.full_clean()
        assert "失效或废止的文件须填写废止/失效日期。" in err.value.message_dict["repealed_date"]

    def test_index_number_cannot_be_changed(self):
        doc = DisclosureDocumentPage.objects.get(pk=self.doc.pk)
        doc.index_number = "000014349/2026-09999"
        with pytest.raises(ValidationError) as err:
            doc.full_clean()
        assert "索引号生成后不可更改。" in err.value.message_dict["index_number"]

    def test_a_later_revision_keeps_the_index_number(self):
        doc = DisclosureDocumentPage.objects.get(pk=self.doc.pk)
        number = doc.index_number
        # A draft saved before the number existed is published later: the number survives.
        first_revision = doc.revisions.order_by("pk").first()
        assert first_revision.content.get("index_number", "") == ""
        first_revision.publish()
        doc.refresh_from_db()
        assert doc.index_number == number


def _bulk_documents(parent, n, *, organisation, topic, genre, start=0):
    """Many live documents quickly (no revisions): enough for query-count tests."""
    for i in range(start, start + n):
        parent.add_child(
            instance=DisclosureDocumentPage(
                title=f"批量公开文件{i}",
                slug=f"bulk-{i}",
                live=True,
                published_date=date(2026, 1, 1 + i % 28),
                topic=topic,
                genre=genre,
                issuing_organisation=organisation,
                document_number=f"沪民〔2026〕{i}号",
            )
        )


@pytest.mark.django_db
class TestCataloguePages:
    @pytest.fixture
    def world(self):
        from tests.disclosure.factories import GenreFactory, TopicFactory

        orgs = org_tree()
        home = make_home()
        xxgk = add_catalogue(home)
        topic = TopicFactory(name="社会救助", slug="shjz")
        genre = GenreFactory(name="通知", slug="tz")
        return {"orgs": orgs, "xxgk": xxgk, "topic": topic, "genre": genre}

    def test_listing_renders_with_a_fixed_number_of_queries(
        self, client, world, django_assert_max_num_queries, django_assert_num_queries
    ):
        kw = {
            "organisation": world["orgs"]["bureau"],
            "topic": world["topic"],
            "genre": world["genre"],
        }
        _bulk_documents(world["xxgk"], 5, **kw)
        client.get("/xxgk/")  # warm the site cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get("/xxgk/?topic=shjz").status_code == 200
        n_small = len(small)  # now: the query log is a bounded deque
        _bulk_documents(world["xxgk"], 195, start=5, **kw)
        client.get("/xxgk/")  # the change dropped the cached menu: read it again
        with django_assert_num_queries(n_small):
            response = client.get("/xxgk/?topic=shjz")
        assert response.context["paginator"].count == 200
        assert n_small <= 12

    def test_listing_shows_filters_active_filters_feed_link_and_pagination(self, client, world):
        kw = {
            "organisation": world["orgs"]["bureau"],
            "topic": world["topic"],
            "genre": world["genre"],
        }
        _bulk_documents(world["xxgk"], 25, **kw)
        html = client.get("/xxgk/?topic=shjz&q=批量").content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in html
        assert "/xxgk/feed/?topic=shjz&amp;q=%E6%89%B9%E9%87%8F" in html
        assert "主题分类：社会救助" in html
        assert 'href="/xxgk/?q=%E6%89%B9%E9%87%8F"' in html  # removes the topic, keeps q
        assert "共 25 条" in html
        assert "第 1 页 / 共 2 页" in html
        assert "page=2" in html
        assert "style=" not in html
        html = client.get("/xxgk/?year=abc").content.decode()
        assert "年份应为四位数字，如 2026。" in html

    def test_document_page_metadata_repeal_and_attachments(
        self, client, world, django_assert_num_queries
    ):
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        from disclosure.models import DisclosureAttachment

        bureau = world["orgs"]["bureau"]
        new = add_document(world["xxgk"], organisation=bureau, title="新版救助办法")
        old = add_document(
            world["xxgk"],
            organisation=bureau,
            title="旧版救助办法",
            validity=Validity.REPEALED,
            effective_date=date(2020, 1, 1),
            repealed_date=date(2026, 3, 1),
            replaced_by=new,
            body="<p>正文</p><script>alert(1)</script>",
        )
        html = client.get(old.url).content.decode()
        assert old.index_number in html
        for text in [
            "索引号",
            "发文字号",
            "成文日期",
            "发布日期",
            "主题分类",
            "体裁分类",
            "发布机构",
            "有效性",
        ]:
            assert text in html
        assert "本文件已废止" in html and "2026年3月1日" in html
        assert f'href="{new.url}"' in html
        assert "<script>alert" not in html
        assert "本文件替代" in client.get(new.url).content.decode()

        client.get(new.url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            client.get(new.url)
        for i in range(4):
            doc = Document.objects.create(
                title=f"附件{i}", file=ContentFile(b"%PDF-1.4", name=f"a{i}.pdf")
            )
            DisclosureAttachment.objects.create(page=new, document=doc, sort_order=i)
        with django_assert_num_queries(len(before)):
            html = client.get(new.url).content.decode()
        assert "附件3" in html and "/documents/" in html
