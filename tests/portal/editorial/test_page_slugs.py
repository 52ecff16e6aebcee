"""Slugs made on the server (PortalPageForm): a page with a Chinese title and an empty slug saves
on the first submit, with a pinyin slug unique among its siblings; a slug typed in Chinese is
spelt in pinyin; a document whose title has nothing to spell gets its 索引号."""

import pytest
from django.urls import reverse
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from disclosure.models import DisclosureDocumentPage
from portal.editorial.forms import PortalPageForm
from portal.models import StandardPage
from tests.factories import UserFactory
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = editorial_world()
    world["root"] = UserFactory(username="root", is_superuser=True)
    return world


def _document_form(world, **overrides):
    doc = world["doc_a"]
    data = {
        "title": "关于做好养老服务补贴发放的通知",
        "slug": "",
        "document_number": "黄民发〔2026〕8号",
        "issuing_organisation": doc.issuing_organisation_id,
        "written_date": "2026-03-01",
        "published_date": "2026-03-05",
        "topic": doc.topic_id,
        "genre": doc.genre_id,
        "validity": doc.validity,
        "effective_date": "",
        "repealed_date": "",
        "replaced_by": "",
        "summary": "",
        "body": rich_text("<p>各街道：现将有关事项通知如下。</p>"),
        "tables": streamfield([]),
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def _create_document(client, world, **overrides):
    url = reverse(
        "wagtailadmin_pages:add",
        args=["disclosure", "disclosuredocumentpage", world["section_a"].pk],
    )
    return client.post(url, _document_form(world, **overrides))


def test_a_chinese_title_with_an_empty_slug_saves_on_the_first_submit(client, world):
    client.force_login(world["district_a_editor"])
    response = _create_document(client, world)
    assert response.status_code == 302, response.context["form"].errors
    page = DisclosureDocumentPage.objects.get(title="关于做好养老服务补贴发放的通知")
    assert page.slug == "guan-yu-zuo-hao-yang-lao-fu-wu-bu-tie-fa-fang-de-tong-zhi"

    # the same title again under the same parent: the next free slug, not a slug error
    response = _create_document(client, world)
    assert response.status_code == 302, response.context["form"].errors
    slugs = sorted(
        DisclosureDocumentPage.objects.filter(title="关于做好养老服务补贴发放的通知").values_list(
            "slug", flat=True
        )
    )
    assert slugs == [
        "guan-yu-zuo-hao-yang-lao-fu-wu-bu-tie-fa-fang-de-tong-zhi",
        "guan-yu-zuo-hao-yang-lao-fu-wu-bu-tie-fa-fang-de-tong-zhi-2",
    ]


def test_a_slug_typed_in_chinese_is_spelt_in_pinyin(client, world):
    client.force_login(world["root"])
    url = reverse("wagtailadmin_pages:add", args=["portal", "standardpage", world["home"].pk])
    data = nested_form_data(
        {
            "title": "网站声明",
            "slug": "网站声明",
            "intro": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert StandardPage.objects.get(title="网站声明").slug == "wang-zhan-sheng-ming"


def test_a_slug_the_editor_gives_is_kept(client, world):
    client.force_login(world["district_a_editor"])
    response = _create_document(client, world, slug="ylbt-2026")
    assert response.status_code == 302
    assert DisclosureDocumentPage.objects.filter(slug="ylbt-2026").exists()


def test_a_document_title_with_nothing_to_spell_takes_its_index_number(client, world):
    doc = world["doc_a"]
    assert doc.index_number
    client.force_login(world["district_a_editor"])
    url = reverse("wagtailadmin_pages:edit", args=[doc.pk])
    response = client.post(
        url,
        _document_form(
            world,
            title="《——》",
            document_number=doc.document_number,
            issuing_organisation=doc.issuing_organisation_id,
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    draft = DisclosureDocumentPage.objects.get(pk=doc.pk).get_latest_revision_as_object()
    assert draft.title == "《——》"
    assert draft.slug == doc.index_number.replace("/", "-")


def test_every_portal_page_model_uses_the_slug_making_form():
    ours = [
        m for m in get_page_models() if m._meta.app_label in {"portal", "disclosure", "services"}
    ]
    assert ours
    assert [m for m in ours if not issubclass(m.base_form_class, PortalPageForm)] == []
