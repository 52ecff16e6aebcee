"""The admin in a real browser with the production sign-in: password, TOTP enrolment (the code is
computed from the secret the page shows, as an authenticator app would), recovery codes, then the
dashboard and a page editor — without a single CSP violation or script error."""

import base64
import re

import pytest
from django_otp.oath import totp

from tests.factories import OrganisationFactory, UserFactory, make_home
from tests.services.factories import add_guide, add_service_index

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch(page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_staff_enrol_and_edit_a_page_without_csp_violations(live_server, page, settings):
    settings.PORTAL_REQUIRE_2FA = True
    UserFactory(username="browser-admin", is_superuser=True)
    home = make_home()
    guide = add_guide(add_service_index(home), organisation=OrganisationFactory(code="e2e-org"))
    problems = watch(page)

    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/admin/login/**")
    page.locator("#id_username").fill("browser-admin")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("button[type=submit]").first.click()

    page.wait_for_url("**/admin/2fa/setup/**")
    assert page.locator("main#main h1").inner_text() == "设置两步验证"
    assert page.locator("img.otp-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.locator(".otp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("验证码").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="绑定并继续").click()
    page.wait_for_selector("text=两步验证已开启")
    codes = page.locator(".otp-recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", c) for c in codes)
    page.get_by_role("link", name="我已保存，继续").click()

    page.wait_for_url(live_server.url + "/admin/")
    page.wait_for_selector("#wagtail-sidebar", state="attached")
    page.wait_for_load_state("networkidle")
    page.goto(live_server.url + f"/admin/pages/{guide.pk}/edit/")
    page.wait_for_selector("form[data-edit-form]")
    # The inline init scripts ran: the InlinePanel "add" button adds a material form, with its
    # document chooser built by the scripts of the new child.
    materials = page.locator("#id_materials-FORMS > [data-inline-panel-child]:visible")
    before = materials.count()
    page.locator("#id_materials-ADD").click()
    page.wait_for_function(
        f"document.querySelectorAll('#id_materials-FORMS > [data-inline-panel-child]:not(.deleted)').length > {before}"
    )
    assert not problems, problems

    # A GET of the logout URL (what another site's <img> would send, with the cookies) is refused
    # and the session survives.
    assert page.context.request.get(live_server.url + "/admin/logout/").status == 405
    page.goto(live_server.url + "/admin/")
    assert page.url == live_server.url + "/admin/"
