"""Submission quotas per client and per applicant (count and upload bytes per day), on the three
kinds of case, web and API: a Chinese 429 with Retry-After; nothing is created past a quota, and
only what was created counts."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from disclosure.requests.models import InformationRequest
from portal.security.quotas import QuotaExceeded, submission_quota
from services.complaints.models import Complaint
from services.models import Application
from tests.disclosure.requests.fixtures import natural_person
from tests.portal.security.test_body import application_body, stored_files
from tests.services.case_fixtures import PDF, case_world, upload
from tests.services.complaints.fixtures import complaint_data

# Transactional: quotas count on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def quotas(settings):
    settings.SUBMISSION_QUOTAS = {
        "client_count": 100,
        "client_bytes": 100 * 1024 * 1024,
        "applicant_count": 100,
        "applicant_bytes": 100 * 1024 * 1024,
    }
    return settings.SUBMISSION_QUOTAS


def seconds_to_beijing_midnight() -> int:
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((midnight - now).total_seconds()) + 1


def assert_429(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= seconds_to_beijing_midnight() + 1
    assert "no-store" in response["Cache-Control"]


def disclosure(client, data, ip="192.0.2.1", **headers):
    return client.post(
        "/api/v1/disclosure-requests",
        json.dumps(data),
        content_type="application/json",
        REMOTE_ADDR=ip,
        **headers,
    )


def complaint(client, ip="192.0.2.1", **overrides):
    body = {k: v for k, v in complaint_data(**overrides).items() if v != ""}
    return client.post(
        "/api/v1/complaints", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip
    )


def test_per_applicant_count_across_clients(client, world, quotas):
    quotas["applicant_count"] = 2
    org = world["tree"]["district_a"]
    for ip in ("192.0.2.1", "192.0.2.2"):
        assert disclosure(client, natural_person(org), ip=ip).status_code == 201
    refused = disclosure(client, natural_person(org), ip="192.0.2.3")
    assert_429(refused)
    assert "同一申请人" in refused.json()["detail"]
    assert InformationRequest.objects.count() == 2
    other = natural_person(org, applicant_id_number="110101199003070011")
    assert disclosure(client, other, ip="192.0.2.3").status_code == 201


def test_per_client_count_across_applicants(client, world, quotas):
    quotas["client_count"] = 2
    for phone in ("13900000001", "13900000002"):
        assert complaint(client, complainant_phone=phone).status_code == 201
    refused = complaint(client, complainant_phone="13900000003")
    assert_429(refused)
    assert "网络地址" in refused.json()["detail"]
    assert Complaint.objects.count() == 2
    assert complaint(client, ip="192.0.2.9", complainant_phone="13900000003").status_code == 201


def test_upload_bytes_per_applicant(client, world, quotas):
    quotas["applicant_bytes"] = 150_000
    big = PDF + b"0" * 60_000
    first = client.post(
        "/api/v1/applications",
        application_body(material_id_card=upload("a.pdf", big)),
        REMOTE_ADDR="192.0.2.1",
    )
    assert first.status_code == 201
    files_before = stored_files()
    second = client.post(
        "/api/v1/applications",
        application_body(material_id_card=upload("a.pdf", big + b"1" * 40_000)),
        REMOTE_ADDR="192.0.2.2",
    )
    assert_429(second)
    assert "上传的文件已达上限" in second.json()["detail"]
    assert Application.objects.count() == 1 and stored_files() == files_before


def test_a_replay_with_the_same_key_costs_nothing(client, world, quotas):
    quotas["applicant_count"] = 1
    data = natural_person(world["tree"]["district_a"])
    first = disclosure(client, data, HTTP_IDEMPOTENCY_KEY="q-1")
    again = disclosure(client, data, HTTP_IDEMPOTENCY_KEY="q-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert_429(disclosure(client, data, HTTP_IDEMPOTENCY_KEY="q-2"))


def test_a_refused_submission_is_not_counted(world, quotas):
    quotas["applicant_count"] = 1
    submission_quota(client="192.0.2.1", applicant="X1")
    for _ in range(3):
        with pytest.raises(QuotaExceeded):
            submission_quota(client="192.0.2.1", applicant="X1")
    submission_quota(client="192.0.2.1", applicant="X2")  # the client itself is not blocked


def test_web_complaint_form_answers_the_chinese_429_page(client, world, quotas):
    quotas["client_count"] = 1
    assert complaint(client).status_code == 201
    data = {**complaint_data(complainant_phone="13900000009"), "form_token": "t" * 32}
    response = client.post("/hdjl/ts/", data, REMOTE_ADDR="192.0.2.1")
    assert_429(response)
    assert "请明天再提交" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_web_apply_counts_kept_uploads_against_the_client(client, world, quotas):
    quotas["client_bytes"] = 100_000
    url = world["guide"].url + "apply/"
    client.get(url)
    big = PDF + b"0" * 70_000
    first = client.post(url, {"material_id_card": upload("a.pdf", big)}, REMOTE_ADDR="192.0.2.1")
    assert first.status_code == 200  # kept, the form asks for the rest
    response = client.post(
        url, {"material_income_proof": upload("b.pdf", big)}, REMOTE_ADDR="192.0.2.1"
    )
    assert_429(response)
    assert "上传的文件已达上限" in response.content.decode()
