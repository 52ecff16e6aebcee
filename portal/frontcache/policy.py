"""Which answers a shared cache may keep (see the package docstring). Pure functions of the request
and the response, shared by the HTTP headers, the in-app cache and the tests."""

import functools

from django.conf import settings

from ..context_processors import ELDER_COOKIE

_OFFERED = "_front_cache_offered"

# Never cached, whatever a view says: the admin, the case lookup and its follow-ups, bookings,
# alert subscriptions, the one-time survey links, documents (their privacy is checked per
# request), the elder-mode switch, health, and the API's case, submission and staff endpoints. The
# VCL has the same list (deploy/varnish/default.vcl; tests/portal/frontcache/test_policy.py
# checks that they agree).
NEVER_PREFIXES = (
    "/admin/",
    "/cx/",
    "/yy/",
    "/dy/",
    "/hdjl/wj/d/",
    "/documents/",
    "/a11y/",
    "/healthz",
    "/api/v1/cases",
    "/api/v1/staff",
    "/api/v1/applications",
    "/api/v1/complaints",
    "/api/v1/disclosure-requests",
    "/api/v1/appointments",
)


def offer(request) -> None:
    """Say that this request's answer may be shared; `response_is_cacheable` decides."""
    setattr(request, _OFFERED, True)


def public_cache(view):
    """Decorator for views and API endpoints whose anonymous GET answers are public (search, the
    public API lists). Works for django-ninja operations too (the signature is kept)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        offer(request)
        return view(request, *args, **kwargs)

    return wrapped


def request_may_be_cached(request) -> bool:
    """A request whose answer could come from (or go into) a shared cache: an anonymous GET or HEAD
    outside the never-cached paths. A session cookie (a staff login, a proved case) always passes."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path.startswith(NEVER_PREFIXES)


def response_is_cacheable(request, response) -> bool:
    """An offered answer is kept only if nothing personal is in it."""
    if not getattr(request, _OFFERED, False) or not request_may_be_cached(request):
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False  # sets a cookie (a session, messages, a CSRF cookie)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token was put into the page
    if "'nonce-" in response.headers.get("Content-Security-Policy", ""):
        return False  # a CSP nonce must never be replayed
    cache_control = response.headers.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def elder_variant(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def max_ages() -> tuple[int, int]:
    """(browser max-age, shared-cache s-maxage) in seconds."""
    return settings.FRONT_CACHE_MAX_AGE, settings.FRONT_CACHE_S_MAXAGE


def offer_served_page(page, request, serve_args, serve_kwargs):
    """`before_serve_page` hook, registered after Wagtail's view-restriction check (order=100): a
    page that reaches it is public for this visitor; a visitor without a session sees what every
    anonymous visitor sees. Previews never go through `serve`."""
    if not getattr(request, "is_preview", False):
        offer(request)
