"""CSRF for forms on cached pages.

A page a shared cache keeps cannot carry a per-browser CSRF token, so the few forms on such pages
(the elder-mode switch in the header, the home page's case lookup box) post to views decorated
with `same_origin_post`: a POST the browser marks as same-origin (`Sec-Fetch-Site: same-origin`,
or an `Origin` header naming this site or a CSRF_TRUSTED_ORIGINS entry) is accepted without a
token — a cross-site page cannot forge these headers. Anything else (a cross-site POST, an old
browser that sends neither header) goes through Django's usual token check."""

import functools

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt, csrf_protect

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def is_same_origin(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def same_origin_post(view):
    protected = csrf_protect(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS or is_same_origin(request):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)
