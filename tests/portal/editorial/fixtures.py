"""A small editorial world: the bureau and two districts (A with a street), each with its sections
(/xxgk/, /xxgk/a/, /xxgk/b/ …), groups, collection and workflow, an editor / reviewer / senior per
organisation, and one published document in each district's section."""

from django.contrib.auth.models import Permission

from portal.editorial.setup import organisations_setup, staff_role_assign
from services.models import ServiceIndexPage
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import StaffProfileFactory, UserFactory, make_home, org_tree

SLUGS = {"002479001": "a", "002479101": "a1", "002482001": "b"}
ORGS = ("bureau", "district_a", "district_b")
ROLES = ("editor", "reviewer", "senior")


def staff_with_role(organisation, username: str, role: str):
    user = UserFactory(username=username, email=f"{username}@example.gov.cn")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    StaffProfileFactory(user=user, organisation=organisation)
    staff_role_assign(user=user, role=role)
    return user


def editorial_world() -> dict:
    tree = org_tree()
    home = make_home()
    catalogue = add_catalogue(home)
    bsfw = ServiceIndexPage(title="办事服务", slug="bsfw")
    home.add_child(instance=bsfw)
    bsfw.save_revision().publish()
    organisations_setup(slugs=SLUGS)
    world = {"tree": tree, "home": home, "xxgk": catalogue, "bsfw": bsfw}
    for org in ORGS:
        for role in ROLES:
            world[f"{org}_{role}"] = staff_with_role(tree[org], f"{org}_{role}", role)
    editorial = {org: tree[org].editorial for org in ORGS}
    world["editorial"] = editorial
    sections = {
        (s.organisation_id, s.area): s.page.specific
        for org in tree.values()
        for s in org.sections.select_related("page")
    }
    world["section_a"] = sections[(tree["district_a"].pk, "xxgk")]
    world["section_b"] = sections[(tree["district_b"].pk, "xxgk")]
    world["section_a1"] = sections[(tree["street_a1"].pk, "xxgk")]
    world["bsfw_a"] = sections[(tree["district_a"].pk, "bsfw")]
    world["doc_a"] = add_document(world["section_a"], organisation=tree["district_a"])
    world["doc_b"] = add_document(world["section_b"], organisation=tree["district_b"])
    world["doc_bureau"] = add_document(catalogue, organisation=tree["bureau"])
    return world
