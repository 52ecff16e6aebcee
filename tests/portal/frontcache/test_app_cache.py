"""The in-app cache (no Varnish, `make run`): the same rules and the same purges as the front
cache — publish, unpublish, move, delete, scheduled go-live and expiry, site settings."""

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from disclosure.models import DisclosureDocumentPage
from portal.models import PortalSettings
from tests.disclosure.editorial_fixtures import draft_document, editorial_world
from tests.disclosure.factories import add_document
from tests.disclosure.test_scheduling import at
from tests.factories import UserFactory, add_standard_page

pytestmark = pytest.mark.django_db

LISTINGS = ("/", "/xxgk/", "/xxgk/feed/", "/search/?q=民政局", "/api/v1/disclosures")


@pytest.fixture(autouse=True)
def app_cache(settings, django_capture_on_commit_callbacks):
    settings.FRONT_CACHE_APP = True
    settings.WAGTAILFRONTENDCACHE = {
        "app": {"BACKEND": "portal.frontcache.backends.AppCacheBackend"}
    }


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    body = response.content.decode()
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = str(response.json())
    return response.headers.get("X-Cache"), body


def committed(django_capture_on_commit_callbacks, fn):
    with django_capture_on_commit_callbacks(execute=True):
        return fn()


def test_hits_then_a_publish_refreshes_the_page_and_every_listing(
    client, site_with_document, django_capture_on_commit_callbacks
):
    document = site_with_document["document"]
    old, new = "关于调整低保标准的通知", "关于提高低保标准的通知"
    urls = (document.url, *LISTINGS)
    for url in urls:
        assert get(client, url)[0] == "MISS", url
        state, body = get(client, url)
        assert state == "HIT" and old in body, url

    page = document.specific
    page.title = new
    committed(django_capture_on_commit_callbacks, lambda: page.save_revision().publish())
    for url in urls:
        state, body = get(client, url)
        assert state == "MISS" and new in body and old not in body, url


def test_a_change_in_one_section_keeps_the_other_sections_cached(
    client, site_with_document, django_capture_on_commit_callbacks
):
    def build():
        other = add_standard_page(site_with_document["home"], "互动交流", "hdjl")
        return add_standard_page(other, "网上调查", "wsdc")

    child = committed(django_capture_on_commit_callbacks, build)
    get(client, child.url)
    page = site_with_document["document"].specific
    page.title = "另一个标题"
    committed(django_capture_on_commit_callbacks, lambda: page.save_revision().publish())
    assert get(client, child.url)[0] == "HIT"
    assert get(client, "/")[0] == "MISS"


def test_unpublish_move_and_delete_purge(
    client, site_with_document, django_capture_on_commit_callbacks
):
    home, catalogue = site_with_document["home"], site_with_document["catalogue"]
    tree = site_with_document["tree"]
    title = "关于调整低保标准的通知"
    doc = DisclosureDocumentPage.objects.get(pk=site_with_document["document"].pk)
    for url in (doc.url, "/xxgk/"):
        get(client, url)
    committed(django_capture_on_commit_callbacks, doc.unpublish)
    assert client.get(doc.url).status_code == 404
    assert title not in get(client, "/xxgk/")[1]

    committed(django_capture_on_commit_callbacks, lambda: doc.save_revision().publish())
    elsewhere = add_standard_page(home, "其他", "qt")
    old_url = doc.url
    assert client.get(old_url).status_code == 200
    committed(django_capture_on_commit_callbacks, lambda: doc.move(elsewhere, pos="last-child"))
    assert client.get(old_url).status_code == 301  # Wagtail's automatic redirect, not the old page
    assert title not in get(client, "/xxgk/")[1]

    doomed = committed(
        django_capture_on_commit_callbacks,
        lambda: add_document(catalogue, organisation=tree["bureau"], title="即将删除的通知"),
    )
    get(client, "/xxgk/")
    state, body = get(client, "/xxgk/")
    assert state == "HIT" and "即将删除的通知" in body
    committed(
        django_capture_on_commit_callbacks,
        lambda: DisclosureDocumentPage.objects.get(pk=doomed.pk).delete(),
    )
    assert "即将删除的通知" not in get(client, "/xxgk/")[1]


def test_scheduled_go_live_and_expiry_purge(client, django_capture_on_commit_callbacks):
    with freeze_time(at(9)) as frozen:
        w = editorial_world()
        doc = draft_document(
            w["xxgk"],
            organisation=w["orgs"]["district_b"],
            topic=w["topic"],
            genre=w["genre"],
            title="徐汇区养老服务补贴定时发布通知",
            slug="scheduled",
        )
        doc.go_live_at = at(10)
        doc.expire_at = at(18)
        committed(django_capture_on_commit_callbacks, lambda: doc.save_revision().publish())
        assert doc.title not in get(client, "/xxgk/")[1]
        assert get(client, "/xxgk/")[0] == "HIT"

        frozen.move_to(at(10, 1))
        committed(django_capture_on_commit_callbacks, lambda: call_command("publish_scheduled"))
        state, body = get(client, "/xxgk/")
        assert state == "MISS" and doc.title in body
        assert get(client, "/xxgk/scheduled/")[0] == "MISS"
        assert get(client, "/xxgk/scheduled/")[0] == "HIT"

        frozen.move_to(at(18, 1))
        committed(django_capture_on_commit_callbacks, lambda: call_command("publish_scheduled"))
        assert doc.title not in get(client, "/xxgk/")[1]
        assert client.get("/xxgk/scheduled/").status_code == 404


def test_site_settings_purge_everything(
    client, site_with_document, django_capture_on_commit_callbacks
):
    get(client, site_with_document["document"].url)
    settings_row = PortalSettings.objects.get()
    settings_row.sponsor = "上海市民政局（新）"
    committed(django_capture_on_commit_callbacks, settings_row.save)
    assert "上海市民政局（新）" in get(client, site_with_document["document"].url)[1]


def test_sessions_are_never_cached_and_elder_mode_is_its_own_variant(client, site_with_document):
    assert get(client, "/")[0] == "MISS"
    client.cookies["elder_mode"] = "1"
    client.cookies["csrftoken"] = "x" * 32
    state, body = get(client, "/")
    assert state == "MISS" and 'class="elder"' in body
    assert get(client, "/")[0] == "HIT"
    del client.cookies["elder_mode"]
    state, body = get(client, "/")
    assert state == "HIT" and 'class="elder"' not in body

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for _ in range(2):
        state, body = get(client, "/")
        assert state is None and "wagtail-userbar" in body


def test_the_in_app_cache_in_redis_is_shared_and_purged(
    client, settings, site_with_document, django_capture_on_commit_callbacks
):
    """With REDIS_URL (production without Varnish) the entries and versions live in Redis, so
    every gunicorn worker sees the same cache and the same purges."""
    if not settings.TEST_REDIS_URL:
        pytest.skip("REDIS_URL not set (CI sets it)")
    import uuid

    import redis

    prefix = f"test-frontcache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        url = site_with_document["document"].url
        assert get(client, url)[0] == "MISS"
        assert get(client, url)[0] == "HIT"
        page = site_with_document["document"].specific
        page.title = "Redis 中的新标题"
        committed(django_capture_on_commit_callbacks, lambda: page.save_revision().publish())
        state, body = get(client, url)
        assert state == "MISS" and "Redis 中的新标题" in body
    finally:  # only this test's keys: the database is shared with other tests
        server = redis.Redis.from_url(settings.TEST_REDIS_URL)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_a_published_reply_and_an_editors_synonym_refresh_the_cached_search(
    client, django_capture_on_commit_callbacks
):
    from portal.search_synonyms import SearchSynonym
    from tests.services.case_fixtures import case_world
    from tests.services.complaints.fixtures import replied

    case_world()
    url = "/search/?q=通报"
    assert get(client, url)[0] == "MISS"
    assert get(client, url)[0] == "HIT"
    committed(django_capture_on_commit_callbacks, lambda: replied(reply="已整改并通报。"))
    state, body = get(client, url)
    assert state == "MISS" and "已整改并" in body
    url = "/search/?q=领证"
    get(client, url)
    assert get(client, url)[0] == "HIT"
    committed(
        django_capture_on_commit_callbacks,
        lambda: SearchSynonym.objects.create(canonical="通报", aliases="领证"),
    )
    state, body = get(client, url)
    assert state == "MISS" and "已整改并" in body
