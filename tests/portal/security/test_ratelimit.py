import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from portal.security import ratelimit


def test_counts_within_a_window_and_limits():
    limit = ratelimit.Limit("t", 3, 60)
    for expected in (1, 2, 3):
        assert ratelimit.hit(limit, "case-1") == expected
    assert ratelimit.is_limited(limit, "case-1")
    assert not ratelimit.is_limited(limit, "case-2")
    ratelimit.reset(limit, "case-1")
    assert ratelimit.count(limit, "case-1") == 0


def test_identifiers_are_not_stored_in_clear():
    key = ratelimit._key(ratelimit.Limit("lookup", 10, 3600), "SQ20261129000123X")
    assert "SQ2026" not in key


def test_client_ip_ignores_forwarded_header_unless_proxies_are_trusted(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9", REMOTE_ADDR="10.0.0.9")
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.0.0.9"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request) == "10.0.0.9"
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="127.0.0.1")
    assert ratelimit.client_ip(request) == "1.2.3.4"


@pytest.mark.skipif(
    not getattr(settings, "TEST_REDIS_URL", None), reason="REDIS_URL not set (CI sets it)"
)
def test_state_is_shared_through_redis():
    """Two cache connections (as two worker processes would have) see the same counter."""
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    conf = {
        "BACKEND": "portal.cache.RedisCache",  # as configured when REDIS_URL is set
        "LOCATION": settings.TEST_REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": conf, "other": conf}):
        limit = ratelimit.Limit("shared", 2, 60)
        ratelimit.hit(limit, "x")
        assert caches["other"].get(ratelimit._key(limit, "x")) == 1
        ratelimit.hit(limit, "x")
        assert ratelimit.is_limited(limit, "x")
        caches["default"].delete(ratelimit._key(limit, "x"))
