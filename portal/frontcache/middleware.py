"""The front-cache middleware: Cache-Control on every answer, and, without Varnish
(`FRONT_CACHE_APP`), the in-app cache with the same rules and the same purges.

It sits outside the session, CSRF, CSP and locale middleware, so it sees the cookies they set and
the CSP header they build."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_request

from ..http import no_store
from . import policy
from .backends import current_versions


def app_cache_key(request) -> str:
    """One entry per URL, host, language and elder-mode choice (at most two variants per
    language), under the current versions of everything and of the URL's first path segment."""
    everything, segment = current_versions(request.path)
    variant = "elder" if policy.elder_variant(request) else "std"
    language = get_language_from_request(request)
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return (
        f"fc:page:{everything}:{segment}:{request.method}:{request.get_host()}:{language}:"
        f"{variant}:{url}"
    )


class FrontCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if settings.FRONT_CACHE_APP and policy.request_may_be_cached(request):
            key = app_cache_key(request)
            cached = cache.get(key)
            if cached is not None:
                cached["X-Cache"] = "HIT"
                return cached
        response = self.get_response(request)
        if policy.response_is_cacheable(request, response):
            max_age, s_maxage = policy.max_ages()
            patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
            patch_vary_headers(response, ("Cookie",))  # the elder-mode choice
            if key is not None:
                cache.set(key, response, s_maxage)
                response["X-Cache"] = "MISS"
        elif "Cache-Control" not in response:
            no_store(response)
        return response
