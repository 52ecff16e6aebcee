"""portal/security/checks.py: `check --deploy` refuses a production database that still holds the
demo accounts (well-known names, a published password)."""

import json

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from portal.security.checks import DEMO_USERNAMES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def deploy_errors():
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "portal.E001"]


@pytest.fixture
def production(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    return settings


def test_an_active_demo_account_fails_the_deploy_check(production):
    UserFactory(username="huangpu_editor")
    assert deploy_errors() == ["portal.E001"]
    with pytest.raises(SystemCheckError, match="huangpu_editor"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_deactivated_demo_accounts_and_other_accounts_pass(production):
    UserFactory(username="huangpu_editor", is_active=False)
    UserFactory(username="zhang.wei")
    assert deploy_errors() == []


def test_the_check_is_off_where_demo_accounts_belong(settings):
    settings.PORTAL_DEMO_ACCOUNTS = True
    UserFactory(username="admin")
    assert deploy_errors() == []


def test_every_account_the_demo_creates_is_known_to_the_check():
    rows = json.loads((settings.BASE_DIR / "fixtures" / "accounts.json").read_text("utf-8"))
    assert {row["username"] for row in rows} <= set(DEMO_USERNAMES)


def test_the_demo_supervisors_are_known_to_the_check(production):
    from services.demo.supervision import SUPERVISORS

    assert {username for username, _name in SUPERVISORS} <= set(DEMO_USERNAMES)
    UserFactory(username="supervisor_zhao")
    assert deploy_errors() == ["portal.E001"]
