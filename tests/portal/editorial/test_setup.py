"""portal/editorial/setup.py: an organisation's groups, collection, workflow and sections, set up
idempotently; `create_staff_user --role`; the admin's organisation create hook; and the rule that a
page's organisation belongs to its section's owner."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)
from wagtail.test.utils.form_data import rich_text

from portal.editorial.sections import OrganisationEditorial, OrganisationSection, section_for
from portal.editorial.setup import HANDLER_GROUP, organisation_setup, organisations_setup
from portal.organisations import Organisation, OrganisationKind
from tests.disclosure.factories import add_document
from tests.factories import OrganisationFactory, UserFactory
from tests.portal.editorial.fixtures import SLUGS, editorial_world
from tests.services.case_fixtures import make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return editorial_world()


def _counts():
    return {
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
        "pages": Page.objects.count(),
        "sections": OrganisationSection.objects.count(),
        "page_perms": GroupPagePermission.objects.count(),
        "workflow_pages": WorkflowPage.objects.count(),
    }


def test_sections_nest_like_the_organisation_tree(world):
    tree = world["tree"]
    assert section_for(tree["bureau"], "xxgk").page.pk == world["xxgk"].pk
    assert world["section_a"].url_path.endswith("/xxgk/a/")
    assert world["section_b"].url_path.endswith("/xxgk/b/")
    assert world["section_a1"].url_path.endswith("/xxgk/a/a1/")
    assert world["bsfw_a"].url_path.endswith("/bsfw/a/")
    # a centre has no sections: its pages live in its street's
    assert not tree["centre_a1"].sections.exists()
    assert section_for(tree["centre_a1"], "xxgk").page.pk == world["section_a1"].pk
    # and the catalogue still lists every document below it
    from disclosure.selectors import document_queryset

    titles = set(document_queryset(within=world["xxgk"]).values_list("pk", flat=True))
    assert {world["doc_a"].pk, world["doc_b"].pk, world["doc_bureau"].pk} <= titles


def test_each_organisation_has_its_groups_collection_and_workflow(world):
    tree = world["tree"]
    a = tree["district_a"].editorial
    assert a.editors.name == "黄浦区民政局·编辑"
    assert a.reviewers.name == "黄浦区民政局·初审" and a.seniors.name == "黄浦区民政局·终审"
    assert a.collection.get_parent().pk == tree["bureau"].editorial.collection.pk
    tasks = [t.specific for t in a.workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [t.name for t in tasks] == ["初审·黄浦区民政局", "终审·黄浦区民政局"]
    assert list(tasks[0].groups.all()) == [a.reviewers]
    assert list(tasks[1].groups.all()) == [a.seniors]
    # a street's steps are shared with its district (inherited downwards), never the bureau's
    street = tree["street_a1"].editorial
    street_tasks = [
        t.specific for t in street.workflow.tasks.order_by("workflow_tasks__sort_order")
    ]
    assert set(street_tasks[0].groups.all()) == {street.reviewers, a.reviewers}
    assert set(street_tasks[1].groups.all()) == {street.seniors, a.seniors}
    assert world["section_a"].get_workflow().pk == a.workflow.pk
    assert world["doc_a"].get_workflow().pk == a.workflow.pk
    assert world["doc_bureau"].get_workflow().pk == tree["bureau"].editorial.workflow.pk
    # nobody is given the publish permission
    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()


def test_setup_is_idempotent(world):
    before = _counts()
    organisations_setup(slugs=SLUGS)
    organisation_setup(organisation=world["tree"]["district_b"])
    assert _counts() == before


def test_units_and_centres_do_not_publish(world):
    unit = OrganisationFactory(
        code="000014350",
        name="市婚姻登记处",
        kind=OrganisationKind.UNIT,
        parent=world["tree"]["bureau"],
    )
    assert organisation_setup(organisation=unit) is None
    assert not OrganisationEditorial.objects.filter(organisation=unit).exists()


def test_a_new_district_gets_everything_under_its_parent(world):
    before = _counts()
    district = OrganisationFactory(
        code="002488001",
        name="浦东新区民政局",
        kind=OrganisationKind.DISTRICT,
        parent=world["tree"]["bureau"],
    )
    editorial = organisation_setup(organisation=district)
    after = _counts()
    assert after["groups"] == before["groups"] + 3
    assert after["sections"] == before["sections"] + 2
    assert after["workflows"] == before["workflows"] + 1
    assert section_for(district, "xxgk").page.url_path.endswith("/xxgk/002488001/")
    assert editorial.collection.get_parent().pk == world["tree"]["bureau"].editorial.collection.pk


def test_create_staff_user_role_puts_the_user_in_one_group(world):
    call_command(
        "create_staff_user",
        "newbie",
        "--organisation",
        "002482001",
        "--password",
        "a-long-password-2026",
        "--role",
        "editor",
        stdout=None,
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newbie")
    b = world["tree"]["district_b"].editorial
    assert list(user.groups.all()) == [b.editors]
    call_command(
        "create_staff_user",
        "newbie",
        "--organisation",
        "002482001",
        "--password",
        "a-long-password-2026",
        "--role",
        "senior",
    )
    assert list(user.groups.all()) == [b.seniors]  # the role replaces the old one
    call_command(
        "create_staff_user",
        "newbie",
        "--organisation",
        "002479201",
        "--password",
        "a-long-password-2026",
        "--role",
        "handler",
    )
    assert list(user.groups.values_list("name", flat=True)) == [HANDLER_GROUP]


def test_create_staff_user_refuses_an_editor_of_a_centre(world):
    with pytest.raises(CommandError, match="不设网站栏目"):
        call_command(
            "create_staff_user",
            "x",
            "--organisation",
            "002479201",
            "--password",
            "a-long-password-2026",
            "--role",
            "editor",
        )


def test_creating_an_organisation_in_the_admin_sets_it_up(world, client):
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_portal_organisation:add")
    response = client.post(
        url,
        {
            "code": "002482102",
            "name": "徐汇区田林街道办事处",
            "short_name": "田林街道",
            "kind": "street",
            "parent": world["tree"]["district_b"].pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    street = Organisation.objects.get(code="002482102")
    assert street.editorial.editors.name == "田林街道·编辑"
    assert section_for(street, "xxgk").page.get_parent().pk == world["section_b"].pk


def test_a_document_of_another_organisation_is_refused_in_a_section(world):
    tree = world["tree"]
    with pytest.raises(ValidationError) as exc:
        add_document(world["section_a"], organisation=tree["district_b"])
    assert "不属于本栏目所属机构“黄浦区民政局”" in str(
        exc.value.message_dict["issuing_organisation"]
    )
    # its own organisation, and one below the owner, are fine
    add_document(world["section_a"], organisation=tree["street_a1"])
    add_document(world["xxgk"], organisation=tree["district_b"])  # the bureau's section


def test_a_guide_of_another_organisation_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_guide(world["bsfw_a"], world["tree"]["district_b"], code="310104-MZ-001")
    assert "organisation" in exc.value.message_dict


def test_the_admin_form_refuses_another_organisations_document(world, client):
    client.force_login(world["district_a_editor"])
    doc = world["doc_a"]
    url = reverse(
        "wagtailadmin_pages:add",
        args=("disclosure", "disclosuredocumentpage", world["section_a"].pk),
    )
    response = client.post(
        url,
        {
            "title": "越权文件",
            "slug": "yuequan",
            "document_number": "徐民发〔2026〕9号",
            "issuing_organisation": world["tree"]["district_b"].pk,
            "published_date": "2026-03-05",
            "topic": doc.topic_id,
            "genre": doc.genre_id,
            "validity": "valid",
            "summary": "",
            "body": rich_text("<p>正文</p>"),
            "tables-count": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "不属于本栏目所属机构" in response.content.decode()
    assert not Page.objects.filter(slug="yuequan").exists()
