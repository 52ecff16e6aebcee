"""Logout by POST only: a cross-site GET (an <img> on another site) must not end a staff session."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="logout-staff", is_superuser=True))
    return client


def test_get_logout_is_refused_and_leaves_the_session_alone(staff_client):
    session_key = staff_client.session.session_key
    response = staff_client.get("/admin/logout/")
    assert response.status_code == 405
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no delete, no new cookie
    assert staff_client.session.session_key == session_key
    assert staff_client.get("/admin/").status_code == 200  # still signed in


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused_too(staff_client, method):
    response = getattr(staff_client, method)("/admin/logout/")
    assert response.status_code == 405
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert staff_client.get("/admin/").status_code == 200


def test_post_logout_ends_the_session(staff_client):
    response = staff_client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert staff_client.get("/admin/").status_code == 302


def test_post_logout_needs_the_csrf_token(staff_client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = staff_client.cookies
    assert csrf_client.post("/admin/logout/").status_code == 403
    assert staff_client.get("/admin/").status_code == 200


def test_the_admin_menu_logs_out_by_post(staff_client):
    html = staff_client.get("/admin/").content.decode()
    # Wagtail's sidebar gets its logout entry from the JSON menu; it must not be a plain link.
    assert 'href="/admin/logout/"' not in html
