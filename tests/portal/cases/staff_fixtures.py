"""Staff users for the case workbench tests: a StaffProfile, Wagtail admin access and a role (by
default 办件人员, the case handlers; `role=None` for staff without any role)."""

from django.contrib.auth.models import Permission

from portal.editorial.setup import staff_role_assign
from services.applications.actions import application_submit
from tests.factories import StaffProfileFactory, UserFactory
from tests.services.case_fixtures import make_guide, valid_submission


def staff_user(organisation, username: str, *, token: bool = False, role: str | None = "handler"):
    user = UserFactory(username=username, first_name="", last_name="")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    profile = StaffProfileFactory(user=user, organisation=organisation)
    if role is not None:
        staff_role_assign(user=user, role=role)
    user.api_token = profile.issue_api_token() if token else None
    return user


def submit(guide, **overrides):
    application, _code = application_submit(**valid_submission(guide, **overrides))
    return application


def two_district_world(world):
    """Adds a guide of district B to case_world(): district A's centre and district B each
    handle one service item."""
    tree = world["tree"]
    world["guide_b"] = make_guide(
        world["bsfw"], tree["district_b"], code="310104-MZ-009", title="临时救助申请"
    )
    world["staff_a"] = staff_user(tree["district_a"], "huangpu", token=True)
    world["staff_centre"] = staff_user(tree["centre_a1"], "waitan", token=True)
    world["staff_b"] = staff_user(tree["district_b"], "xuhui", token=True)
    return world
