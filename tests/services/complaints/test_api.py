import json

import pytest

from portal.cases.models import CaseEvent
from portal.idempotency import IdempotencyRecord
from services.complaints.models import Complaint
from tests.services.case_fixtures import case_world
from tests.services.complaints.fixtures import complaint_data

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints"


@pytest.fixture
def world():
    return case_world()


def post(client, body, **headers):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def api_body(**overrides):
    body = complaint_data(**overrides)
    for key in ("organisation", "service_item", "category"):
        if body[key] == "":
            body.pop(key)
    return body


def test_201_with_number_code_due_date_and_status(client, world):
    response = post(client, api_body(service_item=world["guide"].code))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"case_number", "query_code", "due_date", "status"}
    assert body["case_number"].startswith("TS") and body["status"] == "submitted"
    complaint = Complaint.objects.get(case_number=body["case_number"])
    assert body["due_date"] == complaint.due_date.isoformat()
    assert body["organisation"] == world["tree"]["centre_a1"].code
    assert complaint.publish_consent is True


def test_the_query_code_finds_the_case(client, world):
    body = post(client, api_body()).json()
    response = client.post(
        "/api/v1/cases/lookup",
        data=json.dumps({"case_number": body["case_number"], "query_code": body["query_code"]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "complaint"
    assert response.json()["case_number"] == body["case_number"]


def test_422_names_each_bad_field(client, world):
    response = post(
        client,
        api_body(subject="", complainant_phone="110", organisation="000000000", category="x"),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"subject", "complainant_phone", "organisation", "category"}
    assert Complaint.objects.count() == 0


def test_422_for_missing_fields_and_wrong_types(client, world):
    body = api_body()
    del body["content"]
    del body["complainant_name"]
    body["publish_consent"] = "perhaps"
    response = post(client, body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"content", "complainant_name", "publish_consent"}


def test_400_for_a_body_that_is_not_json(client, world):
    response = client.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    assert Complaint.objects.count() == 0


def test_idempotency_key_returns_the_first_answer_and_creates_nothing(client, world):
    first = post(client, api_body(), HTTP_IDEMPOTENCY_KEY="k-123")
    again = post(client, api_body(), HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Complaint.objects.count() == 1
    assert CaseEvent.objects.filter(kind="complaint").count() == 1
    other = post(client, api_body(subject="另一件事"), HTTP_IDEMPOTENCY_KEY="k-123")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"]
    fresh = post(client, api_body(), HTTP_IDEMPOTENCY_KEY="k-456")
    assert fresh.status_code == 201 and fresh.json()["case_number"] != first.json()["case_number"]
    assert Complaint.objects.count() == 2


def test_a_failed_request_does_not_burn_its_key(client, world):
    bad = post(client, api_body(subject=""), HTTP_IDEMPOTENCY_KEY="k-9")
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert post(client, api_body(subject=""), HTTP_IDEMPOTENCY_KEY="k-9").status_code == 422


def test_too_many_submissions_from_one_client_get_429(client, world, settings):
    """Twenty complaints per client and hour (pinned here, not read from the product)."""
    for _ in range(20):
        assert post(client, api_body()).status_code == 201
    response = post(client, api_body())
    assert response.status_code == 429 and response.json()["detail"]


def test_described_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/complaints"]
