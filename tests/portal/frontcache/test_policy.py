"""What may be cached: every public page type and API list says `public, s-maxage`, holds no CSRF
token and no CSP nonce; the admin, /cx/, posts, sessions and personal answers are `private,
no-store`. Forms on cached pages post without a token, same-origin only."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from portal.frontcache import policy
from tests.factories import UserFactory, add_standard_page
from tests.services.factories import add_centre, add_centre_index, add_guide, add_service_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls(site_with_document):
    home, tree = site_with_document["home"], site_with_document["tree"]
    services = add_service_index(home)
    guide = add_guide(services, organisation=tree["bureau"])
    centres = add_centre_index(services)
    centre = add_centre(centres, service_items=[guide])
    standard = add_standard_page(home, "网站声明", "wzsm")
    return [
        "/",
        "/xxgk/",
        "/xxgk/?topic=shjz",
        site_with_document["document"].url,
        "/xxgk/feed/",
        "/search/?q=低保",
        services.url,
        guide.url,
        centres.url,
        centre.url,
        standard.url,
        "/api/v1/disclosures",
        "/api/v1/service-items",
        f"/api/v1/service-items/{guide.code}",
        "/api/v1/organisations",
        f"/api/v1/ratings/summary?organisation={tree['bureau'].code}&year=2026",
        "/hdjl/hcp/",
        "/hdjl/wj/",
        "/api/v1/league?year=2026",
        "/hdjl/pw/",
    ]


def test_every_public_page_type_is_cacheable_and_holds_nothing_personal(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response.headers["Cache-Control"]
        assert "public" in cache_control and "s-maxage=600" in cache_control, url
        assert "max-age=60" in cache_control, url
        assert not response.cookies, url
        assert b"csrfmiddlewaretoken" not in response.content, url
        assert "nonce-" not in response.headers["Content-Security-Policy"], url


@pytest.mark.parametrize(
    "url", ["/cx/", "/admin/login/", "/xxgk/ysqgk/", "/hdjl/ts/", "/healthz", "/api/v1/"]
)
def test_personal_and_staff_answers_are_private(client, site_with_document, url):
    response = client.get(url)
    assert "private" in response.headers["Cache-Control"], url
    assert "no-store" in response.headers["Cache-Control"], url


def test_a_session_makes_every_page_private(client, site_with_document):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/")
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_a_post_is_never_cacheable(client, site_with_document):
    response = client.post("/search/?q=低保")
    assert "public" not in response.headers.get("Cache-Control", "")


def _offered(method="get", path="/xxgk/", **kwargs):
    request = getattr(RequestFactory(), method)(path, **kwargs)
    policy.offer(request)
    return request


def test_an_offered_answer_that_is_personal_in_any_way_is_not_kept():
    assert policy.response_is_cacheable(_offered(), HttpResponse("ok"))

    sets_cookie = HttpResponse("ok")
    sets_cookie.set_cookie("messages", "x")
    assert not policy.response_is_cacheable(_offered(), sets_cookie)

    with_token = _offered()
    with_token.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # what get_token() does
    assert not policy.response_is_cacheable(with_token, HttpResponse("ok"))

    with_nonce = HttpResponse("ok")
    with_nonce["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert not policy.response_is_cacheable(_offered(), with_nonce)

    assert not policy.response_is_cacheable(_offered(), HttpResponse("x", status=404))
    assert not policy.response_is_cacheable(_offered(path="/cx/"), HttpResponse("ok"))
    session = _offered()
    session.COOKIES["sessionid"] = "abc"
    assert not policy.response_is_cacheable(session, HttpResponse("ok"))
    not_offered = RequestFactory().get("/xxgk/")
    assert not policy.response_is_cacheable(not_offered, HttpResponse("ok"))


# -- forms on cached pages -----------------------------------------------------------------------


def test_the_elder_switch_works_without_a_token_from_the_same_site_only(site_with_document):
    client = Client(enforce_csrf_checks=True)
    data = {"on": "1", "next": "/xxgk/"}
    same = client.post("/a11y/elder/", data, headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 302 and same.cookies["elder_mode"].value == "1"
    by_origin = client.post("/a11y/elder/", data, headers={"Origin": "http://testserver"})
    assert by_origin.status_code == 302

    assert (
        client.post("/a11y/elder/", data, headers={"Sec-Fetch-Site": "cross-site"}).status_code
        == 403
    )
    assert (
        client.post("/a11y/elder/", data, headers={"Origin": "https://evil.example"}).status_code
        == 403
    )
    assert client.post("/a11y/elder/", data).status_code == 403  # neither header, no token


def test_the_home_lookup_box_posts_to_cx_without_a_token(site_with_document):
    client = Client(enforce_csrf_checks=True)
    home = client.get("/").content.decode()
    assert 'action="/cx/"' in home and "csrfmiddlewaretoken" not in home
    data = {"case_number": "SQ20261129000123X", "query_code": "ABCDEFGHJK"}
    answer = client.post("/cx/", data, headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code in (404, 422)  # looked up (and not found), not refused
    assert "受理编号" in answer.content.decode()
    assert client.post("/cx/", data, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_a_restricted_page_is_never_offered(client, site_with_document):
    from wagtail.models import PageViewRestriction

    page = add_standard_page(site_with_document["home"], "内部通知", "nbtz")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    response = client.get(page.url)
    assert "public" not in response.headers.get("Cache-Control", "")
    PageViewRestriction.objects.filter(page=page).update(restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "public" not in response.headers.get("Cache-Control", "")


def test_the_vcl_never_caches_the_same_paths_as_the_app():
    """The never-cached list is written twice (the app's policy and the shipped VCL): they agree."""
    import re
    from pathlib import Path

    from django.conf import settings as django_settings

    vcl = (Path(django_settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl").read_text()
    site, api = re.search(
        r'req\.url ~ "\^/\(([^)]*)\)" \|\|\s*req\.url ~ "\^/api/v1/\(([^)]*)\)"', vcl
    ).groups()
    in_vcl = {"/" + p for p in site.split("|")} | {"/api/v1/" + p for p in api.split("|")}
    assert in_vcl == set(policy.NEVER_PREFIXES)
