"""Performance targets for the public pages and API (run with `make bench`)."""

import random

import pytest
from django.test import Client

from portal.organisations import OrganisationKind
from tests.factories import OrganisationFactory, add_standard_page, make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_site():
    rng = random.Random(20261129)
    home = make_home()
    tree = org_tree()
    section = add_standard_page(home, "政府信息公开", "xxgk")
    for n in range(200):
        add_standard_page(section, f"关于印发第{rng.randint(1, 999)}号通知的通知{n}", f"n{n}")
    for n in range(300):
        OrganisationFactory(
            code=f"88{n:05d}", kind=OrganisationKind.STREET, parent=tree["district_a"]
        )
    return home


def test_home_page(big_site, bench):
    client = Client()
    bench("GET / (200 pages below)", lambda: client.get("/"), p95_ms=250)


def test_organisation_api(big_site, bench):
    client = Client()
    bench(
        "GET /api/v1/organisations (305 rows)",
        lambda: client.get("/api/v1/organisations"),
        p95_ms=300,
    )
