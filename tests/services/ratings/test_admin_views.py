import pytest
from django.urls import reverse

from portal.cases.actions import case_act
from services.ratings.actions import rating_record
from tests.portal.cases.staff_fixtures import submit, two_district_world
from tests.services.case_fixtures import case_world

pytestmark = pytest.mark.django_db
URL = "/admin/workbench/follow-ups/"


@pytest.fixture
def world():
    w = two_district_world(case_world())
    ratings = {}
    for key, guide, score in (
        ("a", w["guide"], 1),
        ("b", w["guide_b"], 2),
        ("good", w["guide"], 5),
    ):
        case = submit(guide)
        case = case_act(case, action="accept", actor=None, organisation_ids=None, version=None)
        case = case_act(
            case,
            action="complete",
            actor=None,
            organisation_ids=None,
            version=None,
            data={"outcome": "approved", "result": "准予"},
        )
        ratings[key] = rating_record(case=case, score=score, comment=f"评价{key}")
    w["ratings"] = ratings
    return w


def close_url(rating):
    return reverse("workbench:follow_up_close", args=[rating.pk])


def test_lists_only_open_follow_ups_in_scope(client, world):
    client.force_login(world["staff_a"])
    body = client.get(URL).content.decode()
    assert world["ratings"]["a"].case_number in body and "评价a" in body
    assert world["ratings"]["b"].case_number not in body
    assert world["ratings"]["good"].case_number not in body  # not a 差评


def test_close_with_a_note(client, world):
    rating = world["ratings"]["a"]
    client.force_login(world["staff_centre"])
    response = client.post(close_url(rating), {f"r{rating.pk}-note": " "})
    assert response.status_code == 422
    assert "请填写整改回访情况" in response.content.decode()
    response = client.post(close_url(rating), {f"r{rating.pk}-note": "已回访，申请人表示理解"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.follow_up_status == "done" and rating.follow_up_note == "已回访，申请人表示理解"
    body = client.get(URL).content.decode()
    assert "差评整改回访已办结" in body and close_url(rating) not in body
    response = client.post(close_url(rating), {f"r{rating.pk}-note": "再次"})
    assert response.status_code == 409 and "不能重复办结" in response.content.decode()


def test_other_districts_follow_up_cannot_be_closed(client, world):
    rating = world["ratings"]["b"]
    client.force_login(world["staff_a"])
    response = client.post(close_url(rating), {f"r{rating.pk}-note": "回访"})
    assert response.status_code == 404
    rating.refresh_from_db()
    assert rating.follow_up_status == "open"
