"""Organisation-scoped page and collection permissions: a district editor can work on its own
organisation's pages and cannot touch another organisation's, through the permission API and
through the admin URLs directly."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return editorial_world()


def _snapshot(page):
    page.refresh_from_db()
    return (
        page.title,
        page.live,
        page.path,
        page.url_path,
        page.latest_revision_id,
        page.has_unpublished_changes,
    )


def _admin_urls(page, destination):
    rev = page.latest_revision_id
    return {
        "edit": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=(page.pk,)),
        "unpublish": reverse("wagtailadmin_pages:unpublish", args=(page.pk,)),
        "delete": reverse("wagtailadmin_pages:delete", args=(page.pk,)),
        "move": reverse("wagtailadmin_pages:move", args=(page.pk,)),
        "move_confirm": reverse("wagtailadmin_pages:move_confirm", args=(page.pk, destination.pk)),
        "copy": reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        "compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=(page.pk, "earliest", "latest")
        ),
        "revision": reverse("wagtailadmin_pages:revisions_view", args=(page.pk, rev)),
        "history": reverse("wagtailadmin_pages:history", args=(page.pk,)),
        "add_subpage": reverse("wagtailadmin_pages:add_subpage", args=(page.get_parent().pk,)),
        "add": reverse(
            "wagtailadmin_pages:add",
            args=("disclosure", "disclosuredocumentpage", page.get_parent().pk),
        ),
    }


def _refused(response) -> bool:
    """Wagtail answers a refused admin action with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_permission_api_follows_the_organisation_tree(world):
    own, other = world["doc_a"], world["doc_b"]
    editor = world["district_a_editor"]
    mine, theirs = own.permissions_for_user(editor), other.permissions_for_user(editor)
    assert mine.can_edit() and mine.can_copy() and mine.can_view_revisions()
    assert not mine.can_move() and not mine.can_delete()  # a live page: that would publish
    own.unpublish()
    own.refresh_from_db()
    mine = own.permissions_for_user(editor)
    assert mine.can_move() and mine.can_delete()  # a draft of its own organisation
    assert world["section_a"].permissions_for_user(editor).can_add_subpage()
    assert not mine.can_publish() and not mine.can_unpublish()  # only through the workflow
    for check in (
        "can_edit",
        "can_delete",
        "can_publish",
        "can_unpublish",
        "can_move",
        "can_copy",
        "can_lock",
        "can_add_subpage",
    ):
        assert not getattr(theirs, check)(), check
    # (Wagtail's can_view_revisions() is true for any page; the revision views check editing,
    # see test_admin_urls_refuse_another_organisations_page.)
    assert not world["section_b"].permissions_for_user(editor).can_add_subpage()
    assert not own.permissions_for_user(editor).can_move_to(world["section_b"])
    assert not world["doc_bureau"].permissions_for_user(editor).can_edit()  # never upwards
    # downwards: the bureau's editors reach the districts' pages, a district its streets'
    assert other.permissions_for_user(world["bureau_editor"]).can_edit()
    assert world["section_a1"].permissions_for_user(editor).can_add_subpage()
    # nobody but a superuser publishes directly
    for user in ("bureau_senior", "district_a_senior", "district_a_reviewer", "bureau_editor"):
        assert not own.permissions_for_user(world[user]).can_publish(), user


def test_admin_urls_refuse_another_organisations_page(world, client):
    client.force_login(world["district_a_editor"])
    page = world["doc_b"]
    before = _snapshot(page)
    for name, url in _admin_urls(page, world["section_a"]).items():
        response = client.get(url)
        assert _refused(response), (name, response.status_code)
    for name in ("edit", "unpublish", "delete", "move_confirm", "copy"):
        url = _admin_urls(page, world["section_a"])[name]
        response = client.post(
            url,
            {
                "title": "篡改",
                "slug": "tampered",
                "new_title": "篡改",
                "new_slug": "tampered",
                "new_parent_page": world["section_a"].pk,
                "action-publish": "publish",
            },
        )
        assert _refused(response), (name, response.status_code)
    assert _snapshot(page) == before
    # a superuser gets the same URLs (they are real): the refusals above are the permissions'
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(_admin_urls(page, world["section_a"])["edit"]).status_code == 200
    assert page.specific.__class__.objects.filter(slug="tampered").count() == 0


def test_admin_urls_allow_the_own_organisations_page(world, client):
    client.force_login(world["district_a_editor"])
    page = world["doc_a"]
    page.unpublish()  # editors move and delete drafts only (a live page needs review)
    page.refresh_from_db()
    page.save_revision()  # a second revision to compare
    urls = _admin_urls(page, world["section_a1"])
    for name in (
        "edit",
        "view_draft",
        "move",
        "copy",
        "compare",
        "revision",
        "history",
        "add_subpage",
        "add",
    ):
        response = client.get(urls[name])
        assert response.status_code == 200, (name, response.status_code)


def test_choosers_show_only_the_own_collections_files(world, client):
    a = world["tree"]["district_a"].editorial.collection
    b = world["tree"]["district_b"].editorial.collection
    for collection, title in ((a, "黄浦附件"), (b, "徐汇附件")):
        doc = Document(title=title, collection=collection)
        doc.file.save("f.txt", ContentFile(b"x"), save=False)
        doc.save()
        Image.objects.create(title=title + "图", file=get_test_image_file(), collection=collection)
    client.force_login(world["district_a_editor"])
    docs = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    images = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert "黄浦附件" in docs and "徐汇附件" not in docs
    assert "黄浦附件图" in images and "徐汇附件图" not in images
    other = Document.objects.get(title="徐汇附件")
    assert _refused(client.get(reverse("wagtaildocs:edit", args=(other.pk,))))
    client.force_login(world["bureau_editor"])  # the bureau's collection holds the districts'
    docs = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert "黄浦附件" in docs and "徐汇附件" in docs


def test_handlers_keep_the_case_workbench(world, client):
    from tests.portal.editorial.fixtures import staff_with_role

    handler = staff_with_role(world["tree"]["centre_a1"], "waitan_handler", "handler")
    client.force_login(handler)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert not world["doc_a"].permissions_for_user(handler).can_edit()
