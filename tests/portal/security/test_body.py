"""Request bodies: a body cut short of its Content-Length is refused whole (raw sockets against the
live server); size limits are one consistent set that fits the largest real application; the API
answers a bad body in its JSON shape."""

import json
import re
import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from portal.idempotency import IdempotencyRecord
from services.models import Application, ApplicationFile
from tests.services.case_fixtures import PDF, PNG, VALID_ID, case_world, upload

URL = "/api/v1/applications"


def application_body(**files) -> dict:
    data = {
        "service_item": "310100-MZ-001",
        "applicant_name": "张三",
        "applicant_id_number": VALID_ID,
        "applicant_phone": "13812341234",
        "fields": json.dumps({"household_size": "3", "reason": "因病致贫"}),
        "material_id_card": upload(),
        "material_income_proof": upload("income.png", PNG, "image/png"),
    }
    data.update(files)
    return data


def stored_files() -> list[Path]:
    root = Path(django_settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def raw_post(server_url: str, path: str, body: bytes, *, send: int | None = None, **headers):
    """POST over a plain socket; send only the first `send` bytes of the body, then close our
    side (a client that aborted its upload). Returns (status, headers text, body bytes)."""
    host, port = server_url.removeprefix("http://").split(":")
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        f"Content-Type: {MULTIPART_CONTENT}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        sock.sendall(body if send is None else body[:send])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.decode("latin-1"), payload


@pytest.mark.django_db(transaction=True)
def test_a_body_cut_short_creates_nothing_and_leaves_the_key_unused(live_server):
    case_world()
    optional = PDF + b"%" * 200_000  # the optional material, where the client aborts
    body = encode_multipart(BOUNDARY, application_body(material_other=upload("o.pdf", optional)))
    cut = body.index(b"%" * 1000) + 100_000  # in the middle of the optional file

    status, head, payload = raw_post(
        live_server.url, URL, body, send=cut, **{"Idempotency-Key": "abort-1"}
    )
    assert status == 400
    assert "application/json" in head
    assert "不完整" in json.loads(payload)["detail"]
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert stored_files() == []
    assert not IdempotencyRecord.objects.exists()

    # The retry of the whole request with the same key succeeds, with every file.
    status, _head, payload = raw_post(live_server.url, URL, body, **{"Idempotency-Key": "abort-1"})
    assert status == 201, payload
    application = Application.objects.get(case_number=json.loads(payload)["case_number"])
    assert sorted(application.files.values_list("material_code", flat=True)) == [
        "id_card",
        "income_proof",
        "other",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_short_json_body_is_refused(live_server):
    """Not only multipart: a JSON body cut short is refused the same way."""
    host, port = live_server.url.removeprefix("http://").split(":")
    body = json.dumps({"subject": "窗口服务态度差", "content": "x" * 500}).encode()
    request = (
        f"POST /api/v1/complaints HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body) + 50}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.0 400"), answer[:200]
    assert "不完整" in json.loads(answer.partition(b"\r\n\r\n")[2])["detail"]


@pytest.mark.django_db
class TestApiErrorsAreJson:
    def test_malformed_multipart_is_a_json_400(self, client):
        response = client.post(
            URL, b"--x\r\nnot really multipart", content_type="multipart/form-data"
        )
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert "multipart" in response.json()["detail"] and response.json()["errors"] == {}

    def test_a_bad_body_on_a_web_page_is_a_chinese_page(self, client):
        case_world()
        response = client.post("/hdjl/ts/", b"junk", content_type="multipart/form-data")
        assert response.status_code == 400
        assert "请求无法处理" in response.content.decode()


class TestSizeLimits:
    def test_one_consistent_set_that_fits_the_largest_demo_guide(self, settings):
        guides = json.loads(
            (Path(settings.BASE_DIR) / "fixtures" / "services" / "guides.json").read_text()
        )["guides"]
        largest = max(len(g["materials"]) for g in guides)
        assert largest <= settings.UPLOAD_MAX_FILES <= settings.DATA_UPLOAD_MAX_NUMBER_FILES
        assert settings.UPLOAD_MAX_FILE_BYTES == 10 * 1024 * 1024
        every_file_full = settings.UPLOAD_MAX_FILES * settings.UPLOAD_MAX_FILE_BYTES
        assert every_file_full + 512 * 1024 <= settings.REQUEST_MAX_BYTES  # + form fields
        conf = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "proxy.conf").read_text()
        nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
        assert settings.REQUEST_MAX_BYTES <= nginx_mb * 1024 * 1024 <= 2 * every_file_full

    @pytest.mark.django_db
    def test_a_full_application_at_the_real_limits_is_accepted(self, client, settings):
        """Every material of the guide at the per-file limit (10 MB each) goes through."""
        case_world()
        size = settings.UPLOAD_MAX_FILE_BYTES
        data = application_body(
            material_id_card=upload("a.pdf", PDF + b"0" * (size - len(PDF))),
            material_income_proof=upload("b.png", PNG + b"0" * (size - len(PNG)), "image/png"),
            material_other=upload("c.pdf", PDF + b"1" * (size - len(PDF))),
        )
        response = client.post(URL, data)
        assert response.status_code == 201, response.content[:300]
        assert ApplicationFile.objects.count() == 3

    @pytest.mark.django_db
    def test_above_the_request_limit_is_a_json_413_before_reading(self, client, settings):
        case_world()
        settings.REQUEST_MAX_BYTES = 64 * 1024
        data = application_body(material_other=upload("c.pdf", PDF + b"0" * 100_000))
        response = client.post(URL, data)
        assert response.status_code == 413
        assert "过大" in response.json()["detail"]
        assert not Application.objects.exists()


@pytest.mark.django_db
class TestUnparsableAndOversizedBodies:
    """Issue 20: JSON that does not parse is a Chinese 400 in the error shape; form fields or JSON
    over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 naming the limit, in the API and on pages."""

    @pytest.mark.parametrize(
        "url", ["/api/v1/complaints", "/api/v1/disclosure-requests", "/api/v1/cases/lookup"]
    )
    def test_json_that_does_not_parse_is_a_chinese_400(self, client, url):
        response = client.post(url, b'{"subject": ', content_type="application/json")
        assert response.status_code == 400
        body = response.json()
        assert body["detail"] == "请求体不是有效的 JSON，请检查后重新提交。"
        assert body["errors"] == {"__all__": ["请求体不是有效的 JSON。"]}

    def test_a_body_that_is_not_utf8_is_a_400_too(self, client):
        response = client.post(
            "/api/v1/cases/lookup", b'{"case_number": "\xff"}', content_type="application/json"
        )
        assert response.status_code == 400 and "JSON" in response.json()["detail"]

    def test_json_over_the_field_limit_is_a_413_naming_it(self, client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024
        body = json.dumps({"case_number": "x" * 5000, "query_code": "y"})
        response = client.post("/api/v1/cases/lookup", body, content_type="application/json")
        assert response.status_code == 413
        assert response.json() == {
            "detail": "提交的表单字段或 JSON 内容过大（上限 4 KB，上传的文件不计在内）。",
            "errors": {},
        }

    def test_multipart_fields_over_the_limit_are_a_413(self, client, settings):
        case_world()
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024
        response = client.post(URL, application_body(applicant_address="路" * 3000))
        assert response.status_code == 413
        assert "4 KB" in response.json()["detail"]
        assert not Application.objects.exists()

    def test_a_form_over_the_limit_on_a_page_is_a_chinese_413_page(self, client, settings):
        case_world()
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024
        response = client.post(
            "/hdjl/ts/",
            "content=" + "x" * 5000,
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 413
        page = response.content.decode()
        assert "请求无法处理" in page and "上限 4 KB" in page
