"""portal/pages.py: routing by path in a fixed number of queries, with Wagtail's rules kept
(view restrictions, routable sub-URLs, drafts, 404s), and the public-pages subquery."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from portal.pages import public_q
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import OrganisationFactory, add_standard_page, make_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = make_home()
    xxgk = add_catalogue(home)
    column = add_catalogue(xxgk, title="通知公告", slug="tzgg")
    org = OrganisationFactory(code="000014349", name="上海市民政局")
    doc = add_document(column, organisation=org, title="关于春节期间走访慰问的通知", slug="wwtz")
    private = add_standard_page(home, "内部资料", "nbzl")
    secret = add_standard_page(private, "内部通知", "nbtz")
    return {
        "home": home,
        "xxgk": xxgk,
        "column": column,
        "doc": doc,
        "private": private,
        "secret": secret,
    }


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx)


def test_deep_pages_cost_no_more_queries_than_shallow_ones(client, world):
    shallow, n_shallow = queries(client, "/nbzl/")
    deep, n_deep = queries(client, "/xxgk/tzgg/wwtz/")
    assert shallow.status_code == deep.status_code == 200
    assert "关于春节期间走访慰问的通知" in deep.content.decode()
    # the document page shows its attachments and related documents too: 3 more, not 2 per level
    assert n_deep <= n_shallow + 3


def test_breadcrumbs_come_from_the_route(client, world):
    html = client.get("/xxgk/tzgg/wwtz/").content.decode()
    trail = html.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert trail.index("首页") < trail.index("政府信息公开") < trail.index("通知公告")


def test_unknown_and_draft_pages_are_404(client, world):
    assert client.get("/xxgk/tzgg/nothing/").status_code == 404
    assert client.get("/nothing/at/all/").status_code == 404
    world["doc"].unpublish()
    assert client.get("/xxgk/tzgg/wwtz/").status_code == 404


def test_routable_sub_urls_still_answer(client, world):
    response = client.get("/xxgk/tzgg/feed/")
    assert response.status_code == 200
    assert "关于春节期间走访慰问的通知" in response.content.decode()


def test_a_login_restriction_on_a_section_covers_the_pages_below(client, world):
    PageViewRestriction.objects.create(page=world["private"], restriction_type="login")
    for url in ("/nbzl/", "/nbzl/nbtz/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]
    assert client.get("/xxgk/tzgg/wwtz/").status_code == 200


def test_a_password_restriction_asks_for_the_password(client, world):
    PageViewRestriction.objects.create(
        page=world["secret"], restriction_type="password", password="s3cret-pass"
    )
    response = client.get("/nbzl/nbtz/")
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert "内部通知</h1>" not in response.content.decode()


def test_public_q_matches_wagtails_public(world):
    PageViewRestriction.objects.create(page=world["private"], restriction_type="login")
    ours = set(Page.objects.filter(public_q()).values_list("pk", flat=True))
    wagtails = set(Page.objects.public().values_list("pk", flat=True))
    assert ours == wagtails
    assert world["private"].pk not in ours and world["secret"].pk not in ours


def _public_ids():
    return set(Page.objects.filter(public_q()).values_list("pk", flat=True))


def test_public_q_follows_restrictions_as_they_change_and_costs_no_query_when_known(world):
    from django.core.cache import cache

    assert world["doc"].pk in _public_ids()
    with CaptureQueriesContext(connection) as ctx:
        Page.objects.filter(public_q()).count()
    assert len(ctx) == 1  # the restricted paths come from the cache, not a query of their own
    restriction = PageViewRestriction.objects.create(page=world["column"], restriction_type="login")
    assert world["doc"].pk not in _public_ids()  # the new restriction is seen at once
    restriction.delete()
    assert world["doc"].pk in _public_ids()
    PageViewRestriction.objects.create(page=world["private"], restriction_type="login")
    assert world["doc"].pk in _public_ids() and world["secret"].pk not in _public_ids()
    # The private section moves below the catalogue: its pages keep their restriction, the
    # document's old path (now free) does not inherit one.
    world["private"].move(world["xxgk"], pos="last-child")
    secret = Page.objects.get(pk=world["secret"].pk)
    assert secret.pk not in _public_ids() and world["doc"].pk in _public_ids()
    assert set(_public_ids()) == set(Page.objects.public().values_list("pk", flat=True))
    cache.clear()  # a cold cache reads the paths again
    assert secret.pk not in _public_ids()
