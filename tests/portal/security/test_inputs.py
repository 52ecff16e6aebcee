"""The input boundary (portal/security/inputs.py): the inputs the fuzzer found (issue 20) answer 422
in the API's error shape, in Chinese, on PostgreSQL as on SQLite; the forms give the same rule as
a field error."""

import json

import pytest

from portal.security.inputs import input_errors, refused_character
from services.complaints.forms import ComplaintForm
from services.complaints.models import Complaint
from services.models import Application
from tests.services.case_fixtures import VALID_ID, case_world, upload
from tests.services.complaints.fixtures import complaint_data
from tests.services.world import build_world

pytestmark = pytest.mark.django_db

REFUSED = "含有不允许的控制字符（如 NUL），请删除后重新提交。"


@pytest.fixture
def world():
    return case_world()


def assert_refused(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "请求数据含有不允许的字符或超出范围的数值。"
    assert body["errors"][field] == [REFUSED]


@pytest.mark.parametrize("param", ["kind", "parent"])
def test_nul_in_an_organisation_filter(client, world, param):
    assert_refused(client.get(f"/api/v1/organisations?{param}=%00"), param)


def test_nul_in_a_path_parameter(client, world):
    assert_refused(client.get("/api/v1/service-items/%00"), "code")
    assert_refused(client.get("/api/v1/staff/cases/SQ%01X"), "case_number")


def test_nul_in_a_multipart_field_creates_nothing(client, world):
    response = client.post(
        "/api/v1/applications",
        {
            "service_item": "310100-MZ-001\x00",
            "applicant_name": "张三",
            "applicant_id_number": VALID_ID,
            "applicant_phone": "13812341234",
            "fields": "{}",
            "material_id_card": upload(),
        },
    )
    assert_refused(response, "service_item")
    assert not Application.objects.exists()


def test_nul_inside_the_fields_json_of_an_application(client, world):
    response = client.post(
        "/api/v1/applications",
        {
            "service_item": "310100-MZ-001",
            "applicant_name": "张三",
            "applicant_id_number": VALID_ID,
            "applicant_phone": "13812341234",
            "fields": json.dumps({"reason": "a\x00b"}),
        },
    )
    assert_refused(response, "fields.reason")


def _post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_nul_in_a_complaint_json_field(client, world):
    body = complaint_data()
    body["service_item"] = "\x00"
    assert_refused(_post_json(client, "/api/v1/complaints", body), "service_item")
    assert not Complaint.objects.exists()


def test_nul_in_the_organisation_of_a_disclosure_request(client, world):
    response = _post_json(client, "/api/v1/disclosure-requests", {"organisation": "\x00"})
    assert_refused(response, "organisation")


def test_lone_surrogate_and_huge_numbers_in_json(client, world):
    raw = '{"case_number": "\\ud800", "query_code": "x"}'
    response = client.post("/api/v1/cases/lookup", data=raw, content_type="application/json")
    assert_refused(response, "case_number")
    response = _post_json(
        client, "/api/v1/cases/SQ20261129000123X/rating", {"query_code": "x", "score": 10**30}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["score"] == ["数值超出允许范围。"]


def test_free_text_in_a_body_may_hold_line_breaks_and_tabs(client, world):
    body = complaint_data(content="第一行\r\n第二行\t缩进")
    for key in ("organisation", "service_item", "category"):
        if body[key] == "":
            body.pop(key)
    response = _post_json(client, "/api/v1/complaints", body)
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().content == "第一行\r\n第二行\t缩进"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/service-items?page=463963937997574464",
        "/api/v1/service-items?page_size=1000",
        "/api/v1/disclosures?page=463963937997574464",
        "/api/v1/staff/cases?page=463963937997574464",
    ],
)
def test_page_numbers_are_bounded(client, world, url):
    response = client.get(url)
    assert response.status_code in (401, 422), response.content
    if response.status_code == 422:
        assert response.json()["errors"]


def test_query_values_refuse_line_breaks_but_bodies_allow_them():
    assert refused_character("a\nb") == "\n"
    assert refused_character("a\nb\tc\rd", free_text=True) is None
    assert refused_character("a\x00b", free_text=True) == "\x00"
    assert refused_character("a\x7fb", free_text=True) == "\x7f"
    assert refused_character("a\x85b", free_text=True) == "\x85"
    assert refused_character("阳光政务 ok") is None
    assert input_errors({"a": ["x", {"b": "\x00"}]}) == {"a.1.b": [REFUSED]}


def test_a_form_field_with_nul_gets_the_chinese_error_and_no_lookup(world):
    form = ComplaintForm(
        data={"subject": "标题\x00", "content": "第一行\r\n第二行", "organisation": "\x00"}
    )
    assert not form.is_valid()
    assert form.errors["subject"] == [REFUSED]
    assert form.errors["organisation"] == [REFUSED]
    assert "content" not in form.errors


def test_a_page_form_with_nul_in_the_query_string_answers_the_page(client):
    build_world()
    response = client.get("/bsfw/?organisation=%00")
    assert response.status_code == 200
    assert REFUSED in response.content.decode()


def test_the_disclosure_request_form_refuses_nul_in_a_choice(world):
    from disclosure.requests.forms import InformationRequestForm

    form = InformationRequestForm(data={"organisation": "000014349\x00", "description": "甲\n乙"})
    assert not form.is_valid()
    assert form.errors["organisation"] == [REFUSED]
    assert "description" not in form.errors or REFUSED not in form.errors["description"]


@pytest.mark.parametrize("key", ["", " spaced key", "x" * 101, "键"])
def test_a_malformed_idempotency_key_is_a_422(client, world, key):
    body = complaint_data()
    response = client.post(
        "/api/v1/complaints",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Complaint.objects.exists()


def test_the_boundary_never_reads_an_uploaded_file():
    """An uploaded file is iterable (line by line): walking it would leave it at its end and the
    content check after the form would see an empty file (a staff reply's attachments were refused
    as 答复附件有误 that way). Files are skipped; their names are checked by the API layer."""
    from django import forms
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.security.inputs import InputBoundaryFormMixin

    content = b"%PDF-1.4\nline two\nline three\n"

    class Form(InputBoundaryFormMixin, forms.Form):
        note = forms.CharField()
        attachment = forms.FileField()

    upload = SimpleUploadedFile("答复书.pdf", content, content_type="application/pdf")
    form = Form({"note": "答复"}, {"attachment": upload})
    assert form.is_valid(), form.errors
    assert upload.tell() == 0 and upload.read() == content
    other = SimpleUploadedFile("附件.pdf", content)
    assert input_errors({"files": [other]}) == {}
    assert other.tell() == 0
