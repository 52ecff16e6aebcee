"""portal/cache.py: the Redis backend keeps one client per connection pool."""

import threading
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.skipif(
    not getattr(settings, "TEST_REDIS_URL", None), reason="REDIS_URL not set (CI sets it)"
)


@pytest.fixture
def redis_cache():
    conf = {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": settings.TEST_REDIS_URL,
        "KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}",
    }
    with override_settings(CACHES={"default": conf}):
        cache = caches["default"]
        yield cache
        cache.clear()


def test_settings_use_the_reusing_backend_when_redis_is_configured():
    from portal.settings import base

    if base.REDIS_URL:
        assert base.CACHES["default"]["BACKEND"] == "portal.cache.RedisCache"


def test_one_client_per_pool_across_operations(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("a", 1)
    redis_cache.get_many(["a", "b"])
    redis_cache.incr("a")
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads share the pool


def test_operations_behave_as_djangos_backend(redis_cache):
    assert redis_cache.add("k", 0, timeout=60)
    assert not redis_cache.add("k", 5, timeout=60)
    assert redis_cache.incr("k") == 1
    redis_cache.set_many({"x": "甲", "y": [1, 2]})
    assert redis_cache.get_many(["x", "y", "z"]) == {"x": "甲", "y": [1, 2]}
    redis_cache.delete_many(["x", "y"])
    assert redis_cache.get("x") is None


def test_the_shared_client_is_safe_across_threads(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"t{n}:{i}", i)
                assert redis_cache.get(f"t{n}:{i}") == i
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
