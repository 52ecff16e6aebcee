"""The 监督员 role: exactly its permissions, its own reports and nothing else in the admin — no
pages, no cases, no other supervisor's report or photo, no summary approval — and the staff
second factor like every staff account."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.menu import admin_menu

from services.supervision.setup import SUPERVISOR_GROUP, supervisor_group
from tests.factories import UserFactory

from .fixtures import file_report, photo, supervision_world

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def world():
    world = supervision_world()
    world["own"] = file_report(world, who="sup1", findings="叫号机故障。", photos=[photo()])
    world["other"] = file_report(
        world, who="sup2", centre="centre_b", findings="无人在岗。", photos=[photo()]
    )
    return world


def menu_names(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in admin_menu.menu_items_for_request(request)}


def perms(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_group_holds_admin_access_and_filing_only(world):
    group = supervisor_group()
    assert group.name == SUPERVISOR_GROUP == "监督员"
    assert perms(group) == {"wagtailadmin.access_admin", "services.file_visit_report"}
    # idempotent, and brings a widened group back to its permissions
    group.permissions.add(Permission.objects.get(codename="handle_case"))
    assert perms(supervisor_group()) == {"wagtailadmin.access_admin", "services.file_visit_report"}
    assert list(world["sup1"].groups.values_list("name", flat=True)) == ["监督员"]
    assert not hasattr(world["sup1"], "staff_profile")


def test_a_supervisor_sees_only_their_own_reports(client, world):
    client.force_login(world["sup1"])
    response = client.get("/admin/mcaf/")
    assert response.status_code == 200
    assert [v.pk for v in response.context["page_obj"]] == [world["own"].pk]
    assert client.get(f"/admin/mcaf/{world['own'].pk}/").status_code == 200
    assert client.get(f"/admin/mcaf/{world['other'].pk}/").status_code == 404
    own_photo = world["own"].photos.get()
    other_photo = world["other"].photos.get()
    ok = client.get(f"/admin/mcaf/{world['own'].pk}/photos/{own_photo.pk}/")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert ok["Cache-Control"].startswith("no-store") or "no-store" in ok["Cache-Control"]
    assert client.get(f"/admin/mcaf/{world['own'].pk}/photos/{other_photo.pk}/").status_code == 404
    assert (
        client.get(f"/admin/mcaf/{world['other'].pk}/photos/{other_photo.pk}/").status_code == 404
    )


def test_a_supervisor_cannot_see_cases(client, world):
    client.force_login(world["sup1"])
    number = world["own"].rectification.case_number
    assert client.get("/admin/workbench/").status_code == 403
    assert client.get(f"/admin/workbench/{number}/").status_code == 403
    assert client.get("/api/v1/staff/cases").status_code in (401, 403)
    assert client.get("/admin/").status_code == 200
    assert menu_names(world["sup1"]) >= {"supervision"}
    assert "workbench" not in menu_names(world["sup1"])


def test_a_supervisor_cannot_edit_pages(client, world):
    client.force_login(world["sup1"])
    guide = world["guide"]
    response = client.get(f"/admin/pages/{guide.pk}/edit/")
    assert response.status_code in (302, 403)
    before = guide.revisions.count()
    client.post(f"/admin/pages/{guide.pk}/edit/", {"title": "改掉", "slug": guide.slug})
    assert guide.revisions.count() == before
    assert client.get(f"/admin/pages/{world['bsfw'].pk}/add_subpage/").status_code in (302, 403)
    guide.refresh_from_db()
    assert guide.title == "最低生活保障申请"


def test_a_supervisor_cannot_approve_summaries(client, world):
    client.force_login(world["sup1"])
    response = client.post(
        f"/admin/mcaf/{world['own'].pk}/summary/", {"public_summary": "自己批准"}
    )
    assert response.status_code == 403
    world["own"].refresh_from_db()
    assert world["own"].public_summary == ""


def test_staff_without_the_role_are_refused(client, world):
    client.force_login(world["handler_a"])
    response = client.get("/admin/mcaf/")
    assert response.status_code == 403 and "仅限监督员" in response.content.decode()
    assert client.get(f"/admin/mcaf/{world['own'].pk}/").status_code == 403
    assert "supervision" not in menu_names(world["handler_a"])
    assert "workbench" in menu_names(world["handler_a"])


def test_a_reviewer_sees_every_report_and_approves_summaries(client, world):
    reviewer = UserFactory(username="bureau_mcaf", is_superuser=True)
    client.force_login(reviewer)
    listed = {v.pk for v in client.get("/admin/mcaf/").context["page_obj"]}
    assert listed == {world["own"].pk, world["other"].pk}
    assert client.get("/admin/mcaf/new/").status_code == 403  # reviewers do not file
    response = client.post(
        f"/admin/mcaf/{world['own'].pk}/summary/", {"public_summary": "叫号设备故障，已修复。"}
    )
    assert response.status_code == 302
    world["own"].refresh_from_db()
    assert world["own"].public_summary == "叫号设备故障，已修复。"
    assert world["own"].summary_approved_by == reviewer


def test_supervisors_need_the_second_factor(client, world, settings):
    settings.PORTAL_REQUIRE_2FA = True
    response = client.post(
        "/admin/login/", {"username": "supervisor_li", "password": PASSWORD, "next": "/admin/mcaf/"}
    )
    assert response.status_code == 302
    blocked = client.get("/admin/mcaf/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/admin/2fa/setup/")
    client.get("/admin/2fa/setup/?next=/admin/mcaf/")
    device = TOTPDevice.objects.get(user=world["sup1"])
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    client.post("/admin/2fa/setup/", {"code": f"{code:06d}", "next": "/admin/mcaf/"})
    assert client.get("/admin/mcaf/").status_code == 200


def test_staff_and_superusers_cannot_be_made_supervisors(world):
    from django.core.exceptions import ValidationError

    from services.supervision.setup import supervisor_role_assign

    with pytest.raises(ValidationError, match="机构工作人员"):
        supervisor_role_assign(user=world["handler_a"])
    with pytest.raises(ValidationError, match="超级管理员"):
        supervisor_role_assign(user=UserFactory(username="root", is_superuser=True))


def test_the_command_creates_a_supervisor_outside_every_organisation():
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    out = StringIO()
    call_command("create_supervisor", "supervisor_wang", "--name", "王监督员", stdout=out)
    user = get_user_model().objects.get(username="supervisor_wang")
    assert "password: " in out.getvalue()
    assert list(user.groups.values_list("name", flat=True)) == ["监督员"]
    assert not hasattr(user, "staff_profile") and user.has_perm("services.file_visit_report")
