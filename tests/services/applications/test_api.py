"""POST /api/v1/applications (services/api.py)."""

import json

import pytest

from portal.cases.codes import check_query_code
from portal.idempotency import IdempotencyRecord
from services.models import Application
from tests.services.case_fixtures import PNG, VALID_ID, case_world, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


@pytest.fixture
def world():
    return case_world()


def body(**overrides):
    data = {
        "service_item": "310100-MZ-001",
        "applicant_name": "张三",
        "applicant_id_number": VALID_ID,
        "applicant_phone": "13812341234",
        "applicant_address": "上海市黄浦区福州路120号",
        "fields": json.dumps({"household_size": "3", "reason": "因病致贫"}),
        "material_id_card": upload(),
        "material_income_proof": upload("income.png", PNG, "image/png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_creates_a_case_and_answers_201(client, world):
    response = client.post(URL, body())
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert set(answer) >= {"case_number", "query_code", "due_date", "status"}
    application = Application.objects.get(case_number=answer["case_number"])
    assert answer["status"] == "submitted"
    assert answer["due_date"] == application.due_date.isoformat()
    assert check_query_code(answer["query_code"], application.query_code_hash)
    assert application.files.count() == 2
    assert "no-store" in response["Cache-Control"]


def test_all_field_errors_at_once_with_request_keys(client, world):
    response = client.post(
        URL,
        body(
            applicant_id_number="110105194912310021",
            fields=json.dumps({"household_size": "3"}),
            material_id_card=None,
        ),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"applicant_id_number", "fields.reason", "material_id_card"} <= set(errors)
    assert not Application.objects.exists()


def test_unknown_service_item_and_bad_fields_json(client, world):
    assert client.post(URL, body(service_item="NOPE-000")).json()["errors"]["service_item"]
    response = client.post(URL, body(fields="[1, 2]"))
    assert response.status_code == 422 and "fields" in response.json()["errors"]


def test_file_checked_by_content(client, world):
    response = client.post(URL, body(material_id_card=upload("id.pdf", b"<html>not a pdf")))
    assert response.status_code == 422
    assert "PDF" in response.json()["errors"]["material_id_card"][0]


def test_idempotency_key_replays_the_first_answer(client, world):
    first = client.post(URL, body(), HTTP_IDEMPOTENCY_KEY="retry-123")
    second = client.post(URL, body(), HTTP_IDEMPOTENCY_KEY="retry-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Application.objects.count() == 1
    # The stored answer never holds the query code readable, nor the raw key.
    record = IdempotencyRecord.objects.get()
    assert first.json()["query_code"] not in json.dumps(record.response)
    assert record.key != "retry-123"
    other = client.post(URL, body(applicant_name="李四"), HTTP_IDEMPOTENCY_KEY="retry-123")
    assert other.status_code == 422 and Application.objects.count() == 1
    assert client.post(URL, body(), HTTP_IDEMPOTENCY_KEY="new-key").status_code == 201
    assert Application.objects.count() == 2


def test_documented_in_openapi(client, world):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/applications"]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "applicant_id_number" in schema["properties"]
    assert "201" in operation["responses"] and "422" in operation["responses"]
    assert "/api/v1/cases/lookup" in spec["paths"]
    assert "/api/v1/cases/{case_number}/rating" in spec["paths"]
