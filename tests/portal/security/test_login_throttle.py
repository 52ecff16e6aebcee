"""Admin login throttling (portal/security/throttle.py): failures count per client address and per
username, the username however it is typed. Limits are pinned here, not read from the product."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def fail(client, username, ip):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_one_address_trying_many_usernames_is_stopped(client, settings):
    """A client that guesses a different username each time never reaches any per-username limit;
    the per-address limit (four times the per-username one) stops it."""
    settings.LOGIN_THROTTLE = {"limit": 2, "window": 900}
    UserFactory(username="editor")
    for n in range(8):
        assert fail(client, f"guess{n}", "10.0.0.9").status_code == 200
    blocked = client.post(
        LOGIN, {"username": "editor", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9"
    )
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.content.decode()
    # Another client is not touched by that one's failures.
    other = client.post(
        LOGIN, {"username": "editor", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.10"
    )
    assert other.status_code == 302


def test_seven_failures_from_one_address_leave_it_one_more_try(client, settings):
    settings.LOGIN_THROTTLE = {"limit": 2, "window": 900}
    UserFactory(username="editor")
    for n in range(7):
        fail(client, f"guess{n}", "10.0.0.9")
    ok = client.post(
        LOGIN, {"username": "editor", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9"
    )
    assert ok.status_code == 302


@pytest.mark.parametrize("spelling", ["Reviewer", "REVIEWER", " reviewer "])
def test_the_username_counts_however_it_is_typed(client, settings, spelling):
    settings.LOGIN_THROTTLE = {"limit": 2, "window": 900}
    UserFactory(username="reviewer")
    fail(client, spelling, "10.0.1.1")
    fail(client, "reviewer", "10.0.1.2")
    for attempt in ("reviewer", spelling):
        blocked = client.post(
            LOGIN,
            {"username": attempt, "password": "correct-horse-battery"},
            REMOTE_ADDR="10.0.1.3",
        )
        assert blocked.status_code == 429
