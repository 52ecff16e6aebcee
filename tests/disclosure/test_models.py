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
