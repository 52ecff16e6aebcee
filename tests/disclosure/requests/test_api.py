"""POST /api/v1/disclosure-requests (disclosure/api.py)."""

import json

import pytest
from freezegun import freeze_time

from disclosure.requests.models import InformationRequest
from portal.cases.lookup import case_lookup
from tests.disclosure.requests.fixtures import legal_person, natural_person
from tests.factories import org_tree

pytestmark = pytest.mark.django_db
URL = "/api/v1/disclosure-requests"


@pytest.fixture
def org():
    return org_tree()["district_a"]


def post(client, data, **headers):
    return client.post(URL, data=json.dumps(data), content_type="application/json", headers=headers)


def test_201_with_case_number_query_code_and_due_date(client, org):
    with freeze_time("2026-09-28 10:00:00+08:00"):
        response = post(client, natural_person(org))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"case_number", "query_code", "due_date", "status"}
    assert body["case_number"].startswith("GK20260928")
    assert body["due_date"] == "2026-10-30" and body["status"] == "submitted"
    case = case_lookup(case_number=body["case_number"], query_code=body["query_code"], client="t")
    assert isinstance(case, InformationRequest) and case.applicant_name == "张三"


def test_legal_person(client, org):
    response = post(client, legal_person(org))
    assert response.status_code == 201, response.content
    assert InformationRequest.objects.get().credit_code == "91350100M000100Y43"


def test_422_names_every_bad_field_in_chinese(client, org):
    data = legal_person(org, credit_code="91350100M000100Y44", organisation_kind="bank")
    del data["description"]
    data["delivery"] = "email"
    response = post(client, data)
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {
        "credit_code",
        "organisation_kind",
        "description",
        "applicant_email",
        "delivery",
    }
    assert "校验位" in body["errors"]["credit_code"][0]
    assert body["detail"] == "申请信息有误，请修改后重新提交。"
    assert InformationRequest.objects.count() == 0


def test_422_for_a_body_that_is_not_an_object(client):
    response = client.post(URL, data="[1,2]", content_type="application/json")
    assert response.status_code == 422
    assert "errors" in response.json()


def test_idempotency_key_returns_the_first_answer(client, org):
    first = post(client, natural_person(org), **{"Idempotency-Key": "k-1"})
    again = post(client, natural_person(org), **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert InformationRequest.objects.count() == 1
    other = post(client, natural_person(org, applicant_name="李四"), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"]
    fresh = post(client, natural_person(org), **{"Idempotency-Key": "k-2"})
    assert fresh.status_code == 201 and InformationRequest.objects.count() == 2


def test_a_failed_request_does_not_burn_the_key(client, org):
    bad = post(client, natural_person(org, description=""), **{"Idempotency-Key": "k-3"})
    assert bad.status_code == 422
    good = post(client, natural_person(org), **{"Idempotency-Key": "k-3"})
    assert good.status_code == 201 and InformationRequest.objects.count() == 1
