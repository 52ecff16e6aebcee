"""The second factor through the real admin URLs, with PORTAL_REQUIRE_2FA on: password, then
enrolment (first login) or verification (every later login); recovery codes; the admin stays
closed until the second factor is done; API bearer tokens need no second factor."""

import base64
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from portal.editorial.setup import staff_role_assign
from portal.organisations import StaffProfile, hash_token
from portal.security.twofactor.actions import recovery_codes_regenerate
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.PORTAL_REQUIRE_2FA = True


@pytest.fixture
def staff():
    return UserFactory(username="otp-staff", is_superuser=True)


def later(seconds):
    """Time moved on: a new TOTP window, django-otp's throttle delay passed."""
    return freeze_time(datetime.now(UTC) + timedelta(seconds=seconds), tick=True)


def password_login(client, username="otp-staff"):
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def enrol(client, staff):
    password_login(client)
    client.get("/admin/2fa/setup/?next=/admin/")
    device = TOTPDevice.objects.get(user=staff)
    response = client.post("/admin/2fa/setup/", {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 200
    return device, re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", response.content.decode())


def test_first_login_leads_to_enrolment_and_the_admin_is_closed_until_then(client, staff):
    response = password_login(client)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/setup/?next=")
    # Every admin URL, not only the dashboard.
    for url in ("/admin/", "/admin/pages/", "/admin/users/", "/admin/account/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/admin/2fa/setup/"), url

    page = client.get("/admin/2fa/setup/?next=/admin/pages/")
    html = page.content.decode()
    assert page.status_code == 200 and "设置两步验证" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    raw = secret.replace(" ", "")
    assert base64.b32decode(raw + "=" * (-len(raw) % 8)) == device.bin_key
    # Reloading shows the same secret (the app has already scanned it).
    assert secret in client.get("/admin/2fa/setup/").content.decode()

    wrong = client.post("/admin/2fa/setup/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    too_soon = client.post("/admin/2fa/setup/", {"code": code_for(device), "next": "/admin/pages/"})
    assert "验证失败次数过多" in too_soon.content.decode()  # django-otp's throttle after a failure
    with later(5):
        done = client.post("/admin/2fa/setup/", {"code": code_for(device), "next": "/admin/pages/"})
    body = done.content.decode()
    assert done.status_code == 200 and "两步验证已开启" in body and "只显示这一次" in body
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", body)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/admin/pages/"' in body
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_every_later_login_asks_for_the_code(client, staff):
    device, _ = enrol(client, staff)
    client.post("/admin/logout/")
    password_login(client)
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/2fa/verify/")
    # Someone with the password alone cannot enrol another authenticator.
    r = client.get("/admin/2fa/setup/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/2fa/verify/")
    assert client.get("/admin/2fa/recovery-codes/").status_code == 302

    page = client.get("/admin/2fa/verify/?next=/admin/pages/")
    assert "请输入身份验证器应用显示的6位验证码" in page.content.decode()
    bad = client.post("/admin/2fa/verify/", {"code": "123456", "next": "/admin/pages/"})
    assert "验证码不正确或已使用" in bad.content.decode()
    with later(90):  # the enrolment's code may not be replayed: a new window
        device.refresh_from_db()
        device.throttle_reset()
        ok = client.post("/admin/2fa/verify/", {"code": code_for(device), "next": "/admin/pages/"})
        assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
        assert client.get("/admin/").status_code == 200


def test_verify_refuses_an_offsite_next(client, staff):
    device, _ = enrol(client, staff)
    client.post("/admin/logout/")
    password_login(client)
    with later(90):
        ok = client.post(
            "/admin/2fa/verify/", {"code": code_for(device), "next": "https://evil.example/"}
        )
    assert ok["Location"] == "/admin/"


def test_recovery_codes_work_once_each_and_can_be_regenerated(client, staff):
    _, codes = enrol(client, staff)
    client.post("/admin/logout/")
    password_login(client)
    # Typed in lower case with spaces, as people do.
    r = client.post("/admin/2fa/verify/", {"code": codes[0].lower().replace("-", " ")})
    assert r.status_code == 302 and r["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    password_login(client)
    again = client.post("/admin/2fa/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "验证码不正确或已使用" in again.content.decode()
    assert client.get("/admin/").status_code == 302
    with later(5):
        assert client.post("/admin/2fa/verify/", {"code": codes[1]}).status_code == 302

    page = client.get("/admin/2fa/recovery-codes/")
    assert "还有 8 个未使用的恢复码" in page.content.decode()
    fresh = client.post("/admin/2fa/recovery-codes/")
    new_codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", fresh.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    client.post("/admin/logout/")
    password_login(client)
    assert client.post("/admin/2fa/verify/", {"code": codes[2]}).status_code == 200
    with later(5):
        assert client.post("/admin/2fa/verify/", {"code": new_codes[0]}).status_code == 302


def test_the_account_page_links_to_the_two_factor_settings(client, staff):
    enrol(client, staff)
    html = client.get("/admin/account/").content.decode()
    assert "两步验证" in html and "/admin/2fa/recovery-codes/" in html


def test_an_unverified_session_is_anonymous_outside_the_admin(client, staff, settings):
    password_login(client)
    # The same session, OTP-verified or not, reaches the public site; unverified it is nobody.
    from django.contrib.auth import get_user

    response = client.get("/healthz")
    assert get_user(response.wsgi_request).is_authenticated  # the session itself is kept
    assert response.wsgi_request.user.is_anonymous


def test_repeated_wrong_codes_are_throttled(client, staff):
    device, _ = enrol(client, staff)
    client.post("/admin/logout/")
    password_login(client)
    # django-otp doubles the wait after each failure: after six, 32 seconds.
    for i in range(6):
        with later(100 * (i + 1)):
            r = client.post("/admin/2fa/verify/", {"code": "000000"})
            assert "验证码不正确" in r.content.decode()
    with later(100 * 6 + 5):
        device.refresh_from_db()
        r = client.post("/admin/2fa/verify/", {"code": code_for(device)})
    assert r.status_code == 200 and "验证失败次数过多" in r.content.decode()
    assert client.get("/admin/").status_code == 302
    with later(100 * 6 + 60):
        device.refresh_from_db()
        assert client.post("/admin/2fa/verify/", {"code": code_for(device)}).status_code == 302


def test_api_bearer_tokens_need_no_second_factor(client):
    org = OrganisationFactory(code="otp-org")
    user = UserFactory(username="otp-api")
    StaffProfile.objects.create(user=user, organisation=org, api_token_hash=hash_token("tok-otp"))
    staff_role_assign(user=user, role="handler")  # the staff API is for case handlers
    response = client.get("/api/v1/staff/cases", headers={"Authorization": "Bearer tok-otp"})
    assert response.status_code == 200


def test_recovery_codes_are_replaced_not_added(staff):
    first = recovery_codes_regenerate(user=staff)
    second = recovery_codes_regenerate(user=staff)
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert stored == set(second) and not stored & set(first)


def test_deploy_check_fails_when_production_runs_without_the_second_factor(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    settings.PORTAL_REQUIRE_2FA = False
    with pytest.raises(SystemCheckError, match="portal.E002"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    settings.PORTAL_REQUIRE_2FA = True
    settings.PORTAL_IDLE_TIMEOUT = 0
    with pytest.raises(SystemCheckError, match="portal.E003"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_reset_two_factor_sends_the_next_login_to_enrolment(client, staff):
    enrol(client, staff)
    client.post("/admin/logout/")
    out = io.StringIO()
    call_command("reset_two_factor", "otp-staff", stdout=out)
    assert "removed 1 authenticator" in out.getvalue()
    assert not StaticToken.objects.filter(device__user=staff).exists()
    password_login(client)
    r = client.get("/admin/")
    assert r["Location"].startswith("/admin/2fa/setup/")


def test_the_icon_sprite_and_catalogue_load_before_the_second_factor(client, staff):
    password_login(client)
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
