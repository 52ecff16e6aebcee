"""Wagtail documents through their real URL (/documents/<id>/<name>): public only while a live
page uses them or their collection is public; never for a private collection; staff who may use
a document in the admin still can."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.models import StandardPage
from tests import samples
from tests.factories import UserFactory, make_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_home()


def make_document(name="draft-notice.pdf", collection=None):
    return get_document_model().objects.create(
        title="关于征求意见的通知",
        file=ContentFile(samples.PDF, name=name),
        collection=collection or Collection.get_first_root_node(),
    )


def body_with(*documents):
    return [("document", {"document": d, "title": "关于征求意见的通知"}) for d in documents]


def draft_page(home, *documents, slug="draft"):
    page = StandardPage(title="征求意见", slug=slug, live=False, body=body_with(*documents))
    home.add_child(instance=page)
    page.save_revision()
    return page


def child_collection(name):
    return Collection.get_first_root_node().add_child(name=name)


def test_draft_attachment_is_404_until_published_and_after_unpublish(client, home):
    document = make_document()
    page = draft_page(home, document)
    assert client.get(document.url).status_code == 404

    page.get_latest_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]

    StandardPage.objects.get(pk=page.pk).unpublish()
    assert client.get(document.url).status_code == 404


def test_a_draft_revision_of_a_live_page_does_not_publish_its_new_attachment(client, home):
    first, added = make_document("first.pdf"), make_document("added.pdf")
    page = draft_page(home, first)
    page.get_latest_revision().publish()
    page = StandardPage.objects.get(pk=page.pk)
    page.body = body_with(first, added)
    page.save_revision()  # in review, not live
    assert client.get(first.url).status_code == 200
    assert client.get(added.url).status_code == 404


def test_private_collection_document_is_404_for_anonymous_even_on_a_live_page(client, home):
    private = child_collection("内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document("internal.pdf", collection=private)
    draft_page(home, document).get_latest_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 404  # not a login redirect: nothing confirms it exists

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(document.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_staff_who_may_use_the_document_can_download_a_draft_attachment(client, home):
    document = make_document()
    draft_page(home, document)
    client.force_login(UserFactory(username="editor", is_staff=True))
    assert client.get(document.url).status_code == 404  # no document permission
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(document.url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_public_collection_documents_need_no_page(client, home, settings):
    forms = child_collection("公开表格")
    document = make_document("form.pdf", collection=forms)
    assert client.get(document.url).status_code == 404
    settings.WAGTAILDOCS_PUBLIC_COLLECTIONS = ["公开表格"]
    assert client.get(document.url).status_code == 200


def test_wrong_name_and_unknown_id_are_the_same_404(client, home):
    document = make_document()
    draft_page(home, document).get_latest_revision().publish()
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404
    assert client.get(f"/documents/{document.pk + 100}/draft-notice.pdf").status_code == 404


def test_with_nginx_in_front_django_answers_with_x_accel_redirect(client, home, settings):
    settings.MEDIA_X_ACCEL = True
    document = make_document()
    draft_page(home, document).get_latest_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_internal/documents/{document.filename}"
    assert response.content == b""
    assert response.get("Content-Length", "0") == "0"  # nginx sends the file and its length
    assert response["Content-Type"] == "application/pdf"


def test_document_titles_lose_bidi_and_control_characters(home):
    document = get_document_model().objects.create(
        title="scan\u202efdp.exe\u200b", file=ContentFile(samples.PDF, name="scan.pdf")
    )
    assert document.title == "scanfdp.exe"
    assert document.filename == "scan.pdf"
