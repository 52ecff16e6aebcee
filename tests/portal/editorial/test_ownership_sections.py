"""A page without an organisation field of its own (a notice, a column) belongs to the organisation
whose section it is in; the audit report's organisation filter follows the sections too."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import Page

from portal.editorial.ownership import page_organisation, pages_owned_by
from portal.models import StandardPage
from portal.organisations import subtree_ids
from tests.factories import UserFactory
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = editorial_world()
    for key, title in (("section_a", "黄浦区栏目说明"), ("section_b", "徐汇区栏目说明")):
        page = StandardPage(title=title, slug=f"note-{key[-1]}")
        world[key].add_child(instance=page)
        page.save_revision(log_action=True).publish()
        world[f"note_{key[-1]}"] = page
    return world


def test_a_page_without_its_own_field_belongs_to_its_section(world):
    tree = world["tree"]
    assert page_organisation(world["note_a"]) == tree["district_a"]
    assert page_organisation(world["section_a1"]) == tree["street_a1"]
    assert page_organisation(world["doc_b"]) == tree["district_b"]


def test_pages_owned_by_a_subtree_cover_its_sections_and_fields(world):
    tree = world["tree"]
    owned = set(
        Page.objects.filter(pages_owned_by(subtree_ids(tree["district_a"]))).values_list(
            "pk", flat=True
        )
    )
    assert {world["note_a"].pk, world["doc_a"].pk, world["section_a1"].pk} <= owned
    assert world["note_b"].pk not in owned and world["doc_b"].pk not in owned
    assert world["doc_bureau"].pk not in owned


def test_the_audit_report_filters_section_pages_by_organisation(client, world):
    admin = UserFactory(username="auditor", is_superuser=True, is_staff=True)
    admin.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(admin)
    tree = world["tree"]
    huangpu = client.get(
        "/admin/reports/audit-log/", {"organisation": tree["district_a"].pk}
    ).content.decode()
    assert "黄浦区栏目说明" in huangpu and "徐汇区栏目说明" not in huangpu
    xuhui = client.get(
        "/admin/reports/audit-log/", {"organisation": tree["district_b"].pk}
    ).content.decode()
    assert "徐汇区栏目说明" in xuhui and "黄浦区栏目说明" not in xuhui
