"""portal/cases/api.py: POST /api/v1/cases/lookup and /api/v1/cases/{case_number}/rating."""

import pytest
from django.utils import timezone

from portal.cases.actions import case_act
from portal.cases.lookup import LOOKUP_CASE_FREE_FAILURES, LOOKUP_CASE_MAX_DELAY
from portal.cases.numbers import format_case_number
from services.applications.actions import application_submit
from services.models import Rating
from tests.services.case_fixtures import VALID_ID, case_world, valid_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    world = case_world()
    return application_submit(**valid_submission(world["guide"]))


def lookup(client, number, code):
    return client.post(
        "/api/v1/cases/lookup",
        {"case_number": number, "query_code": code},
        content_type="application/json",
    )


def act(application, action, **kw):
    return case_act(
        application, action=action, actor=None, organisation_ids=None, version=None, **kw
    )


def finish(application):
    application = act(application, "accept")
    return act(application, "complete", data={"outcome": "approved", "result": "准予保障"})


def test_lookup_answers_the_contract_fields_masked_and_no_store(client, submitted):
    application, code = submitted
    response = lookup(client, application.case_number, code)
    assert response.status_code == 200
    answer = response.json()
    for key in ("case_number", "kind", "status", "status_label", "submitted_at", "due_date"):
        assert key in answer
    assert answer["kind"] == "application" and answer["status_label"] == "已提交，待受理"
    assert answer["timeline"][0].keys() >= {"status", "at", "note"}
    assert answer["applicant"] == {
        "name": "张*",
        "id_number": "110***********002X",
        "phone": "138****1234",
    }
    assert VALID_ID not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_unknown_and_wrong_code_are_the_same_404(client, submitted):
    application, _code = submitted
    other = format_case_number("application", timezone.localdate(), 999)
    wrong = lookup(client, application.case_number, "AAAAA-BBBBB")
    unknown = lookup(client, other, "AAAAA-BBBBB")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert "no-store" in wrong["Cache-Control"]


def test_malformed_number_is_422(client, submitted):
    response = lookup(client, "SQ2026", "AAAAA-BBBBB")
    assert response.status_code == 422 and "case_number" in response.json()["errors"]


def test_failures_on_a_number_slow_it_down_for_a_few_seconds(client, submitted):
    application, code = submitted
    for _ in range(LOOKUP_CASE_FREE_FAILURES + 1):
        assert lookup(client, application.case_number, "WRONG-WRONG").status_code == 404
    response = lookup(client, application.case_number, code)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= LOOKUP_CASE_MAX_DELAY
    assert "秒后再试" in response.json()["detail"]


def rate(client, number, body, **extra):
    return client.post(
        f"/api/v1/cases/{number}/rating", body, content_type="application/json", **extra
    )


def test_rating_once_after_completion(client, submitted):
    application, code = submitted
    body = {"query_code": code, "score": 2, "comment": "等了很久"}
    assert rate(client, application.case_number, body).status_code == 409  # not finished
    finish(application)
    response = rate(client, application.case_number, body)
    assert response.status_code == 201
    assert response.json()["score"] == 2 and response.json()["score_label"] == "不满意"
    rating = Rating.objects.get()
    assert rating.follow_up_status == "open" and rating.follow_up_due
    assert rate(client, application.case_number, body).status_code == 409  # already rated


def test_rating_idempotency_key_replays(client, submitted):
    application, code = submitted
    finish(application)
    body = {"query_code": code, "score": 5, "comment": ""}
    first = rate(client, application.case_number, body, HTTP_IDEMPOTENCY_KEY="k1")
    second = rate(client, application.case_number, body, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert Rating.objects.count() == 1


def test_rating_with_a_wrong_code_is_404_and_counts_toward_the_limit(client, submitted):
    application, code = submitted
    finish(application)
    for _ in range(LOOKUP_CASE_FREE_FAILURES + 1):
        response = rate(client, application.case_number, {"query_code": "NOPE-NOPE1", "score": 5})
        assert response.status_code == 404
    assert lookup(client, application.case_number, code).status_code == 429
    assert not Rating.objects.exists()


def test_rating_score_out_of_range_is_422(client, submitted):
    application, code = submitted
    finish(application)
    response = rate(client, application.case_number, {"query_code": code, "score": 9})
    assert response.status_code == 422 and "score" in response.json()["errors"]
