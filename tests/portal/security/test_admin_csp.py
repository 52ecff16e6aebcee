"""The admin's script CSP has no 'unsafe-inline': every inline <script> Wagtail writes carries
the response's nonce, on the real admin pages (dashboard, page editor with InlinePanels, document
choosers and date pickers)."""

import re

import pytest
from wagtail.admin.widgets.chooser import BaseChooser

from tests.factories import OrganisationFactory, UserFactory, make_home
from tests.services.factories import add_guide, add_service_index

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def inline_scripts(html: str) -> list[str]:
    """Attributes of the <script> elements that run inline code (no src, not JSON data)."""
    return [
        attrs
        for attrs in SCRIPT.findall(html)
        if "src=" not in attrs and "application/json" not in attrs
    ]


def check_admin_page(response):
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    script_src = policy["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonces = [v for v in script_src if v.startswith("'nonce-")]
    scripts = inline_scripts(response.content.decode())
    # Django puts the nonce in the header only when the page used it.
    assert len(nonces) == (1 if scripts else 0)
    for attrs in scripts:
        nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
        assert f'nonce="{nonce}"' in attrs, attrs
    return policy, scripts


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="csp-admin", is_superuser=True))
    return client


def test_login_page_policy(client):
    policy, _ = check_admin_page(client.get("/admin/login/"))
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]


def test_dashboard_policy(admin_client):
    make_home()
    check_admin_page(admin_client.get("/admin/"))


def test_page_editor_scripts_all_carry_the_nonce(admin_client):
    home = make_home()
    section = add_service_index(home)
    guide = add_guide(section, organisation=OrganisationFactory(code="csp-org"))
    _, scripts = check_admin_page(admin_client.get(f"/admin/pages/{guide.pk}/edit/"))
    # The guide's editor has inline init scripts of its own: InlinePanels, document choosers and
    # the go-live date pickers. They are there, and each has the nonce (checked above).
    html = admin_client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    assert "new InlinePanel(" in html and "new DocumentChooser(" in html
    assert "initDateTimeChooser(" in html
    assert len(scripts) >= 5


def test_page_add_form_too(admin_client):
    home = make_home()
    section = add_service_index(home)
    check_admin_page(admin_client.get(f"/admin/pages/add/services/serviceguidepage/{section.pk}/"))


def test_nonce_changes_per_response(admin_client):
    home = make_home()
    url = f"/admin/pages/{home.pk}/edit/"
    first = admin_client.get(url)["Content-Security-Policy"]
    second = admin_client.get(url)["Content-Security-Policy"]
    assert "'nonce-" in first and first != second


def test_the_chooser_render_is_wagtails_own_plus_the_nonce():
    """Our BaseChooser.render copies Wagtail 8.0's; if Wagtail changes it, this fails."""
    import inspect

    from portal.security import admin_csp

    assert BaseChooser.render is admin_csp._chooser_render
    from wagtail.admin.widgets import chooser

    source = inspect.getsource(chooser)
    assert 'out = f"{widget_html}<script>{js}</script>"' in source
