"""Idle staff sessions end after PORTAL_IDLE_TIMEOUT (30 minutes by default), and every session
after SESSION_COOKIE_AGE however active: time is moved with freezegun, nobody sleeps."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from portal.security.sessions import LAST_SEEN_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.PORTAL_IDLE_TIMEOUT = 30 * 60


@pytest.fixture
def signed_in(client):
    UserFactory(username="idle-staff", is_superuser=True)
    with freeze_time(START):
        response = client.post(
            "/admin/login/",
            {"username": "idle-staff", "password": "correct-horse-battery", "next": "/admin/"},
        )
        assert response.status_code == 302
    return client


def test_the_default_is_thirty_minutes():
    from portal.settings import base

    assert base.PORTAL_IDLE_TIMEOUT == 30 * 60


def test_activity_keeps_the_session_alive(signed_in):
    for minutes in (20, 40, 60, 80):  # a request every 20 minutes: never 30 idle
        with freeze_time(START + timedelta(minutes=minutes)):
            assert signed_in.get("/admin/").status_code == 200


def test_an_idle_session_is_sent_back_to_the_login_with_a_message(signed_in):
    with freeze_time(START + timedelta(minutes=31)):
        response = signed_in.get("/admin/pages/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/admin/pages/"
        login = signed_in.get(response["Location"])
    html = login.content.decode()
    assert "您已超过30分钟未操作" in html and "请重新登录" in html
    assert LAST_SEEN_KEY not in signed_in.session
    with freeze_time(START + timedelta(minutes=32)):
        assert signed_in.get("/admin/").status_code == 302  # logged out for good


def test_the_timeout_is_configurable(signed_in, settings):
    settings.PORTAL_IDLE_TIMEOUT = 5 * 60
    with freeze_time(START + timedelta(minutes=6)):
        response = signed_in.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_background_pings_do_not_count_as_activity(signed_in):
    session = signed_in.session
    seen = session[LAST_SEEN_KEY]
    with freeze_time(START + timedelta(minutes=20)):
        signed_in.post("/admin/editing-sessions/ping/wagtailcore.page/1/")
    assert signed_in.session[LAST_SEEN_KEY] == seen
    with freeze_time(START + timedelta(minutes=31)):
        assert signed_in.get("/admin/").status_code == 302


def test_an_idle_session_on_a_public_page_is_just_logged_out(signed_in):
    assert "_auth_user_id" in signed_in.session
    with freeze_time(START + timedelta(minutes=45)):
        response = signed_in.get("/healthz")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert "_auth_user_id" not in signed_in.session


def test_activity_does_not_stretch_the_absolute_limit(signed_in, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    minutes = 0
    while minutes < 8 * 60 - 20:  # busy all day, a request every 20 minutes
        minutes += 20
        with freeze_time(START + timedelta(minutes=minutes)):
            assert signed_in.get("/admin/").status_code == 200
    with freeze_time(START + timedelta(hours=8, minutes=1)):
        response = signed_in.get("/admin/")
        assert response["Location"] == "/admin/login/?next=/admin/"
        html = signed_in.get(response["Location"]).content.decode()
    assert "登录已超过8小时" in html


def test_zero_turns_the_limits_off(signed_in, settings):
    settings.PORTAL_IDLE_TIMEOUT = 0
    with freeze_time(START + timedelta(days=3)):
        assert signed_in.get("/admin/").status_code == 200
