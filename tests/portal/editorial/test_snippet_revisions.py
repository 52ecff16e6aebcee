"""Topics, genres and organisations' contact details are drafts until published, with history and
compare; the public sees only live values; per-organisation rules hold on every admin URL."""

import pytest
from django.urls import reverse

from disclosure.models import Topic
from portal.organisations import Organisation
from tests.disclosure.editorial_fixtures import admin_user, editorial_world, staff

pytestmark = pytest.mark.django_db

TERM_PERMS = ("disclosure.add_topic", "disclosure.change_topic", "disclosure.publish_topic")
ORG_PERMS = (
    "portal.change_organisation",
    "portal.publish_organisation",
    "portal.delete_organisation",
)


@pytest.fixture
def w():
    return editorial_world()


def topic_url(name, *args):
    return reverse(f"wagtailsnippets_disclosure_topic:{name}", args=args)


def org_url(name, *args):
    return reverse(f"wagtailsnippets_portal_organisation:{name}", args=args)


def refused(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def public_topics(client):
    html = client.get("/xxgk/").content.decode()
    return html


def test_a_new_topic_saved_as_draft_is_not_offered_to_the_public(client, w):
    client.force_login(staff(w["orgs"]["bureau"], "bureau_editor", *TERM_PERMS))
    response = client.post(topic_url("add"), {"name": "慈善事业", "slug": "cssy", "sort_order": 9})
    assert response.status_code == 302
    topic = Topic.objects.get(slug="cssy")
    assert not topic.live and topic.revisions.count() == 1
    assert "慈善事业" not in public_topics(client)
    api = client.get("/api/v1/disclosures", {"topic": "cssy"})
    assert api.status_code == 422 and api.json()["errors"]["topic"] == ["没有这个主题分类。"]

    client.post(
        topic_url("edit", topic.pk),
        {"name": "慈善事业", "slug": "cssy", "sort_order": 9, "action-publish": "action-publish"},
    )
    topic.refresh_from_db()
    assert topic.live
    assert "慈善事业" in public_topics(client)
    assert client.get("/api/v1/disclosures", {"topic": "cssy"}).status_code == 200


def test_a_draft_edit_of_a_live_topic_leaves_the_public_value_until_published(client, w):
    client.force_login(staff(w["orgs"]["bureau"], "bureau_editor", *TERM_PERMS))
    topic = w["topic"]
    client.post(
        topic_url("edit", topic.pk), {"name": "社会救助与福利", "slug": "shjz", "sort_order": 0}
    )
    topic.refresh_from_db()
    assert topic.name == "社会救助" and topic.has_unpublished_changes
    assert topic.get_latest_revision_as_object().name == "社会救助与福利"
    assert "社会救助与福利" not in public_topics(client)
    assert client.get(topic_url("history", topic.pk)).status_code == 200

    client.post(
        topic_url("edit", topic.pk),
        {"name": "社会救助与福利", "slug": "shjz", "sort_order": 0, "action-publish": "1"},
    )
    topic.refresh_from_db()
    assert topic.name == "社会救助与福利" and not topic.has_unpublished_changes
    first, second = topic.revisions.order_by("pk")[:2]
    compare = reverse(
        "wagtailsnippets_disclosure_topic:revisions_compare", args=[topic.pk, first.pk, second.pk]
    )
    assert client.get(compare).status_code == 200


def test_terms_are_the_bureaus_alone(client, w):
    client.force_login(staff(w["orgs"]["district_a"], "huangpu_editor", *TERM_PERMS))
    assert refused(client.get(topic_url("add")))
    assert refused(client.get(topic_url("edit", w["topic"].pk)))
    assert refused(client.post(topic_url("add"), {"name": "x", "slug": "x"}))
    assert not Topic.objects.filter(slug="x").exists()


def test_an_organisation_edits_only_its_own_subtree(client, w):
    orgs = w["orgs"]
    client.force_login(staff(orgs["district_a"], "huangpu_editor", *ORG_PERMS))
    for own in (orgs["district_a"], orgs["street_a1"]):
        assert client.get(org_url("edit", own.pk)).status_code == 200
    other = orgs["district_b"]
    for name in ("edit", "history", "delete", "usage"):
        assert refused(client.get(org_url(name, other.pk))), name
    response = client.post(
        org_url("edit", other.pk),
        {
            "code": other.code,
            "name": other.name,
            "kind": other.kind,
            "parent": other.parent_id,
            "phone": "021-00000000",
            "action-publish": "1",
        },
    )
    assert refused(response)
    other.refresh_from_db()
    assert other.phone == "021-23111111"
    assert refused(client.post(org_url("delete", other.pk)))
    assert Organisation.objects.filter(pk=other.pk).exists()
    listing = client.get(org_url("list")).content.decode()
    assert "黄浦区民政局" in listing and "徐汇区民政局" not in listing


def test_contact_details_are_a_draft_until_published(client, w):
    district = w["orgs"]["district_a"]
    client.force_login(staff(district, "huangpu_reviewer", *ORG_PERMS))
    data = {
        "code": district.code,
        "name": district.name,
        "short_name": "",
        "kind": district.kind,
        "parent": district.parent_id,
        "district": "",
        "address": "上海市黄浦区新地址1号",
        "postcode": "",
        "phone": "021-63333333",
        "complaint_phone": "",
        "email": "",
        "hours": district.hours,
        "sort_order": 0,
        "is_active": "on",
    }
    assert client.post(org_url("edit", district.pk), data).status_code == 302
    district.refresh_from_db()
    assert district.phone == "021-23111111" and district.has_unpublished_changes
    client.post(org_url("edit", district.pk), {**data, "action-publish": "1"})
    district.refresh_from_db()
    assert district.phone == "021-63333333" and district.address == "上海市黄浦区新地址1号"


def test_a_superuser_sees_every_organisation(client, w):
    client.force_login(admin_user())
    listing = client.get(org_url("list")).content.decode()
    assert "黄浦区民政局" in listing and "徐汇区民政局" in listing
    assert client.get(org_url("edit", w["orgs"]["district_b"].pk)).status_code == 200


def test_a_new_organisation_can_only_be_placed_in_the_users_subtree(client, w):
    orgs = w["orgs"]
    user = staff(orgs["district_a"], "huangpu_admin", "portal.add_organisation", *ORG_PERMS)
    client.force_login(user)
    data = {
        "code": "002479102",
        "name": "南京东路街道",
        "kind": "street",
        "parent": orgs["district_b"].pk,
        "sort_order": 0,
        "is_active": "on",
    }
    response = client.post(org_url("add"), data)
    assert response.status_code == 200
    assert "只能选择本机构或其下级机构作为上级机构。" in response.content.decode()
    assert not Organisation.objects.filter(code="002479102").exists()
    response = client.post(org_url("add"), {**data, "parent": orgs["district_a"].pk})
    assert response.status_code == 302
    created = Organisation.objects.get(code="002479102")
    assert not created.live  # a draft until published
    assert created not in Organisation.objects.filter(is_active=True, live=True)
    listed = {item["code"] for item in client.get("/api/v1/organisations").json()}
    assert orgs["district_a"].code in listed and "002479102" not in listed
