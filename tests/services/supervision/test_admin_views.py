"""The supervisor's report form in the admin: the date field renders as an ISO date (the phone's
date picker), a good report is filed and redirected to, a bad photo is refused in Chinese and
nothing is stored."""

import pytest
from django.utils import timezone

from services.supervision.models import SupervisionVisit
from tests import samples

from .fixtures import photo, supervision_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return supervision_world()


def form_data(world, **overrides):
    data = {
        "visit_date": timezone.localdate().isoformat(),
        "centre": world["centre_a"].pk,
        "checked_items": ["attendance", "publicity"],
        "checked_other": "",
        "findings": "收费标准未公示。",
    }
    data.update(overrides)
    return data


def test_the_form_is_in_chinese_with_an_iso_date(client, world):
    client.force_login(world["sup1"])
    html = client.get("/admin/mcaf/new/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert "窗口人员在岗在位" in html and 'capture="environment"' in html
    assert world["centre_a"].title in html


def test_a_report_is_filed_from_the_form(client, world):
    client.force_login(world["sup1"])
    response = client.post("/admin/mcaf/new/", {**form_data(world), "photos": [photo()]})
    visit = SupervisionVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/mcaf/{visit.pk}/"
    assert visit.supervisor == world["sup1"] and visit.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert visit.rectification.case_number in page and "收费标准未公示。" in page


def test_a_bad_photo_is_refused_in_chinese(client, world):
    client.force_login(world["sup1"])
    bad = photo("x.png", samples.PDF, "image/png")
    response = client.post("/admin/mcaf/new/", {**form_data(world), "photos": [bad]})
    assert response.status_code == 422
    assert "不是照片" in response.content.decode()
    assert not SupervisionVisit.objects.exists()


def test_missing_fields_are_refused_in_chinese(client, world):
    client.force_login(world["sup1"])
    response = client.post("/admin/mcaf/new/", form_data(world, visit_date="", centre=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写暗访日期。" in html and "请选择暗访的社区事务受理中心。" in html
