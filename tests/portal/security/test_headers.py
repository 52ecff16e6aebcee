import pytest
from django.core.cache import cache

from tests.factories import UserFactory, make_home

pytestmark = pytest.mark.django_db


def test_public_pages_carry_the_security_headers(client):
    make_home()
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "object-src 'none'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_api_responses_carry_the_headers_too(client):
    response = client.get("/api/v1/openapi.json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_admin_gets_its_own_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "'unsafe-inline'" not in csp["script-src"]  # Wagtail's inline scripts get the nonce
    assert "'unsafe-inline'" in csp["style-src"]  # docs/operations.md: inline styles remain
    assert response["X-Frame-Options"] == "DENY"


def test_admin_login_is_in_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "登录" in html


def test_admin_login_is_throttled_after_repeated_failures(client, settings):
    settings.LOGIN_THROTTLE = {"limit": 3, "window": 900}
    UserFactory(username="editor")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    blocked = client.post(
        "/admin/login/", {"username": "editor", "password": "correct-horse-battery"}
    )
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    cache.clear()
    ok = client.post("/admin/login/", {"username": "editor", "password": "correct-horse-battery"})
    assert ok.status_code == 302


def test_throttle_counts_per_username_across_addresses(client, settings):
    settings.LOGIN_THROTTLE = {"limit": 2, "window": 900}
    UserFactory(username="reviewer")
    for ip in ("10.0.0.1", "10.0.0.2"):
        client.post("/admin/login/", {"username": "reviewer", "password": "nope"}, REMOTE_ADDR=ip)
    response = client.post(
        "/admin/login/", {"username": "reviewer", "password": "nope"}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 429


def test_healthz_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}
