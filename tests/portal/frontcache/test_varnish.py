"""The shipped VCL in a real varnishd, in front of a live Django server: cached hits, purge on
publish and unpublish through the listing pages, sessions never cached, elder-mode variants."""

import json
import time
import urllib.error
import urllib.request

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(base, path, cookie=None, host=None):
    """(status, headers, text); JSON answers as text with the Chinese unescaped."""
    headers = {"Cookie": cookie} if cookie else {}
    if host:
        headers["Host"] = host
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - local test
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local test
            status, headers, body = response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read().decode()
    if headers.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return status, headers, body


def fetch_until(base, path, predicate, *, within=2.0):
    """The answer once `predicate(body)` holds, polling for at most `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        status, headers, body = fetch(base, path)
        if predicate(body) or time.monotonic() > deadline:
            return status, headers, body
        time.sleep(0.05)


# The search for 民政局 finds the document by its body (a title match would be highlighted).
LISTINGS = (
    "/",
    "/xxgk/",
    "/xxgk/feed/",
    "/search/?q=%E6%B0%91%E6%94%BF%E5%B1%80",
    "/api/v1/disclosures",
)


def test_publish_is_visible_through_varnish_at_once(varnish, site_with_document):
    document = site_with_document["document"]
    old, new = "关于调整低保标准的通知", "关于提高低保标准的通知"
    for path in (document.url, *LISTINGS):
        _, first, body = fetch(varnish, path)
        assert first["X-Cache"] == "MISS", path
        assert old in body, path
        _, second, again = fetch(varnish, path)
        assert second["X-Cache"] == "HIT", path
        assert again == body
        assert "public" in second["Cache-Control"] and "s-maxage=" in second["Cache-Control"]

    page = document.specific
    page.title = new
    page.save_revision().publish()

    for path in (document.url, *LISTINGS):
        _, headers, body = fetch_until(varnish, path, lambda b: new in b)
        assert new in body, f"{path} still stale through Varnish 2 s after the publish"
        assert old not in body, path

    page.refresh_from_db()
    page.unpublish()
    status, _, _ = fetch_until(varnish, document.url, lambda b: new not in b)
    assert status == 404
    _, _, catalogue = fetch_until(varnish, "/xxgk/", lambda b: new not in b)
    assert new not in catalogue


def test_a_logged_in_request_is_never_cached(varnish, site_with_document):
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    session = f"sessionid={client.cookies['sessionid'].value}"
    for _ in range(2):
        _, headers, body = fetch(varnish, "/", cookie=session)
        assert headers["X-Cache"] == "PASS"
        assert "private" in headers["Cache-Control"]
        assert "wagtail-userbar" in body  # the editor's own toolbar
    _, headers, body = fetch(varnish, "/")
    assert headers["X-Cache"] == "MISS"
    assert "wagtail-userbar" not in body


def test_elder_mode_is_one_of_two_variants_and_other_cookies_are_ignored(
    varnish, site_with_document
):
    _, headers, body = fetch(varnish, "/", cookie="elder_mode=1; csrftoken=abc; _ga=GA1.2.3")
    assert headers["X-Cache"] == "MISS" and 'class="elder"' in body
    _, headers, body = fetch(varnish, "/", cookie="_ga=other; elder_mode=1")
    assert headers["X-Cache"] == "HIT" and 'class="elder"' in body
    _, headers, body = fetch(varnish, "/", cookie="csrftoken=xyz")
    assert headers["X-Cache"] == "MISS" and 'class="elder"' not in body
    _, headers, body = fetch(varnish, "/")
    assert headers["X-Cache"] == "HIT" and 'class="elder"' not in body
    assert "csrfmiddlewaretoken" not in body
    assert "nonce-" not in headers["Content-Security-Policy"]


def test_wagtails_own_purge_of_one_url_reaches_varnish(varnish, site_with_document):
    """wagtail.contrib.frontend_cache's PURGE (Host = the site's host name) removes the object."""
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    document = site_with_document["document"]
    fetch(varnish, document.url, host="localhost")
    assert fetch(varnish, document.url, host="localhost")[1]["X-Cache"] == "HIT"
    purge_url_from_cache(document.full_url)  # http://localhost/xxgk/doc-…/
    assert fetch(varnish, document.url, host="localhost")[1]["X-Cache"] == "MISS"
