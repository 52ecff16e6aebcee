"""The one smoke test that loads the whole demo site (twice: it must be idempotent)."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from portal.models import HomePage
from portal.organisations import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db(transaction=False)


def _counts():
    return {
        "pages": Page.objects.count(),
        "organisations": Organisation.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_demo_loader_builds_the_site_and_is_idempotent(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", verbosity=0)
    first = _counts()
    assert Organisation.objects.filter(kind=OrganisationKind.DISTRICT).count() >= 3
    assert Organisation.objects.filter(kind=OrganisationKind.CENTRE).count() >= 3
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert client.get("/").status_code == 200
    for path in ("/xxgk/", "/bsfw/", "/hdjl/"):
        assert client.get(path).status_code == 200, path

    call_command("load_demo_data", verbosity=0)
    assert _counts() == first
