"""City-wide columns marked 接受下级机构报送: a district's (or street's) editors draft their own
notices there, in their own organisation's name, and the bureau reviews them (初审 then 终审) —
the district's own reviewers are neither asked nor able to approve, and no other organisation's
editor can touch the notice."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState

from disclosure.models import DisclosureDocumentPage, Validity
from portal.editorial.setup import organisation_setup, submission_permissions_sync
from tests.disclosure.editorial_fixtures import edit_form
from tests.disclosure.factories import add_catalogue
from tests.factories import UserFactory
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db

TITLE = "关于开展2026年度养老服务机构等级评定的通知"


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = editorial_world()
    world["root"] = UserFactory(username="root", is_superuser=True, email="root@example.gov.cn")
    # published with the mark: the page_published hook grants the lower editors `add`
    world["tzgg"] = add_catalogue(
        world["xxgk"], title="通知公告", slug="tzgg", accepts_submissions=True
    )
    world["zcfg"] = add_catalogue(world["xxgk"], title="政策法规", slug="zcfg")
    return world


def _form(world, organisation, slug="pingding"):
    draft = DisclosureDocumentPage(
        title=TITLE,
        slug=slug,
        document_number="黄民发〔2026〕8号",
        written_date=date(2026, 3, 1),
        published_date=date(2026, 3, 5),
        topic=world["doc_a"].topic,
        genre=world["doc_a"].genre,
        issuing_organisation=organisation,
        validity=Validity.VALID,
        body="<p>各街道：现将有关事项通知如下。</p>",
    )
    return edit_form(draft, **{"action-publish": None, "action-submit": "action-submit"})


def _add_url(parent):
    return reverse(
        "wagtailadmin_pages:add", args=("disclosure", "disclosuredocumentpage", parent.pk)
    )


def _clean(data):
    return {k: v for k, v in data.items() if v is not None}


def _submit(world, client, editor="district_a_editor", organisation="district_a"):
    client.force_login(world[editor])
    mail.outbox.clear()
    response = client.post(
        _add_url(world["tzgg"]), _clean(_form(world, world["tree"][organisation]))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DisclosureDocumentPage.objects.get(slug="pingding")


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def _approve_url(page):
    state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))


def test_a_district_notice_is_reviewed_by_the_bureau_and_goes_live(world, client):
    page = _submit(world, client)
    assert page.owner == world["district_a_editor"]
    assert not page.live
    assert page.get_workflow() == world["editorial"]["bureau"].workflow
    assert page.current_workflow_task.name == "初审·上海市民政局"
    # only the bureau's 初审 group hears of it: not district A's reviewers, not the superuser
    assert _recipients() == ["bureau_reviewer@example.gov.cn"]

    # district A's own reviewers see no action and cannot approve through the URL
    task = page.current_workflow_task_state.task.specific
    for name in ("district_a_reviewer", "district_a_senior", "district_b_reviewer"):
        assert task.get_actions(page, world[name]) == [], name
    state_pk = page.current_workflow_task_state.pk
    client.force_login(world["district_a_reviewer"])
    client.post(_approve_url(page), {"comment": "区里先批了"})
    assert TaskState.objects.get(pk=state_pk).status == TaskState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    client.force_login(world["bureau_reviewer"])
    client.post(_approve_url(page), {"comment": "初审通过"})
    page.refresh_from_db()
    assert page.current_workflow_task.name == "终审·上海市民政局"
    assert not page.live
    assert _recipients() == ["bureau_senior@example.gov.cn"]

    client.force_login(world["bureau_senior"])
    client.post(_approve_url(page), {"comment": "同意发布"})
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.issuing_organisation == world["tree"]["district_a"]
    assert page.index_number  # the publish itself assigned the 索引号


def test_only_the_submitter_and_the_bureau_may_edit_the_submission(world, client):
    page = _submit(world, client)
    assert page.permissions_for_user(world["district_a_editor"]).can_edit()
    assert page.permissions_for_user(world["bureau_editor"]).can_edit()
    for name in ("district_b_editor", "district_b_reviewer", "district_a_reviewer"):
        assert not page.permissions_for_user(world[name]).can_edit(), name
    # nor the other notices of the column, nor the column itself
    assert not world["tzgg"].permissions_for_user(world["district_a_editor"]).can_edit()
    client.force_login(world["district_b_editor"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        _clean(_form(world, world["tree"]["district_b"])),
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.latest_revision.user == world["district_a_editor"]


def test_a_column_not_marked_takes_no_submissions(world, client):
    perms = world["zcfg"].permissions_for_user(world["district_a_editor"])
    assert not perms.can_add_subpage()
    assert world["tzgg"].permissions_for_user(world["district_a_editor"]).can_add_subpage()
    client.force_login(world["district_a_editor"])
    response = client.post(
        _add_url(world["zcfg"]), _clean(_form(world, world["tree"]["district_a"]))
    )
    assert response.status_code in (302, 403)
    assert not DisclosureDocumentPage.objects.filter(slug="pingding").exists()


@pytest.mark.parametrize("organisation", ["district_b", "bureau"])
def test_a_submission_in_another_organisations_name_is_refused(world, client, organisation):
    client.force_login(world["district_a_editor"])
    response = client.post(
        _add_url(world["tzgg"]), _clean(_form(world, world["tree"][organisation]))
    )
    assert response.status_code == 200
    name = world["tree"][organisation].name
    assert (
        f"只能以“{world['tree']['district_a'].name}”或其下级机构的名义起草和报送，"
        f"不能以“{name}”的名义发布" in response.content.decode()
    )
    assert not DisclosureDocumentPage.objects.filter(slug="pingding").exists()
    # in its own section district A may still name its street (below it)
    assert not world["tzgg"].get_children().exists()


def test_the_mark_grants_and_revokes_and_setup_is_idempotent(world):
    editors = {org: world["editorial"][org].editors for org in ("district_a", "district_b")}
    street_editors = world["tree"]["street_a1"].editorial.editors
    bureau_editors = world["editorial"]["bureau"].editors

    def adders(page):
        return set(
            GroupPagePermission.objects.filter(
                page=page, permission__codename="add_page"
            ).values_list("group_id", flat=True)
        )

    assert adders(world["tzgg"]) == {
        editors["district_a"].pk,
        editors["district_b"].pk,
        street_editors.pk,
    }
    assert bureau_editors.pk not in adders(world["tzgg"])  # the bureau has add on /xxgk/ already
    assert adders(world["zcfg"]) == set()

    before = GroupPagePermission.objects.count()
    organisation_setup(organisation=world["tree"]["street_a1"])
    assert submission_permissions_sync() == (0, 0)
    assert GroupPagePermission.objects.count() == before

    # the mark moves from 通知公告 to 政策法规 (each change published, as the bureau would)
    world["tzgg"].accepts_submissions = False
    world["tzgg"].save_revision().publish()
    world["zcfg"].accepts_submissions = True
    world["zcfg"].save_revision().publish()
    assert adders(world["tzgg"]) == set()
    assert adders(world["zcfg"]) == {
        editors["district_a"].pk,
        editors["district_b"].pk,
        street_editors.pk,
    }
    assert not world["tzgg"].permissions_for_user(world["district_a_editor"]).can_add_subpage()
    # the districts' own sections keep their editors' add
    assert editors["district_a"].pk in adders(world["section_a"])


def test_lower_organisations_submit_documents_only(world, client):
    from portal.models import StandardPage

    client.force_login(world["district_a_editor"])
    url = reverse("wagtailadmin_pages:add", args=("portal", "standardpage", world["tzgg"].pk))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(world["tzgg"].pk,))
    client.post(url, {"title": "黄浦区的说明", "slug": "shuoming", "action-submit": "1"})
    assert not StandardPage.objects.filter(slug="shuoming").exists()
    # the document form itself is open to them
    assert client.get(_add_url(world["tzgg"])).status_code == 200
    # the bureau's own editor may add any page type to its column
    client.force_login(world["bureau_editor"])
    assert client.get(url).status_code == 200
