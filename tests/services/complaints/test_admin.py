import pytest
from django.contrib.auth.models import Permission

from tests.factories import StaffProfileFactory, UserFactory
from tests.services.case_fixtures import case_world
from tests.services.complaints.fixtures import submit

pytestmark = pytest.mark.django_db
URL = "/admin/reports/complaints/"


@pytest.fixture
def world():
    return case_world()


def staff_in(organisation):
    profile = StaffProfileFactory(organisation=organisation)
    profile.user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    return profile.user


def test_anonymous_and_non_admin_users_are_refused(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL).status_code in (302, 403)


def test_staff_see_their_subtree_with_totals(client, world):
    tree = world["tree"]
    submit(organisation=tree["centre_a1"].code)
    submit(organisation=tree["district_b"].code)
    client.force_login(staff_in(tree["district_a"]))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "投诉与差评统计" in html
    assert "外滩街道社区事务受理服务中心" in html and "徐汇区民政局" not in html
    rows = response.context["rows"]
    assert sum(r.received for r in rows) == 1 == response.context["totals"]["received"]


def test_superuser_sees_everything_and_bad_years_are_explained(client, world):
    submit(organisation=world["tree"]["district_b"].code)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(URL, {"year": "all"})
    assert response.context["totals"]["received"] == 1 and response.context["year"] is None
    response = client.get(URL, {"year": "19x"})
    assert response.status_code == 200 and "四位数字" in response.context["error"]


def test_listed_in_the_reports_menu(client, world):
    client.force_login(UserFactory(is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert URL in html
