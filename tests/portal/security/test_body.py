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
